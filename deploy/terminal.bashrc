# Coaching Lab: the start-up file of every JupyterLab terminal on the hub (written by `course hub up`).
# A login shell's own set-up first (Debian's /etc/profile resets PATH), then the course environment
# goes in front, so `course` and the course's `python` work whatever the profile files did.
if [ -r /etc/profile ]; then . /etc/profile; fi
if [ -r "$$HOME/.bash_profile" ]; then . "$$HOME/.bash_profile"
elif [ -r "$$HOME/.bash_login" ]; then . "$$HOME/.bash_login"
elif [ -r "$$HOME/.profile" ]; then . "$$HOME/.profile"
fi
PATH="$venv/bin:$${PATH}"
export PATH
# trainers (their server sets COACHING_LAB_COURSE_ROOT) share what they write with the trainer group
if [ -n "$${COACHING_LAB_COURSE_ROOT:-}" ]; then umask 0007; fi
