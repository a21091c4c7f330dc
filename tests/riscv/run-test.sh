#!/bin/sh
# Run one bare-metal test program and report it as TAP.
#   run-test.sh NAME COMMAND...
# The program's verdict is COMMAND's exit status: 0 = pass, otherwise the
# number of the check that failed (see rvtest.h).  Its UART output is shown
# as TAP comments.
name=$1
shift
out=$("$@" </dev/null 2>&1)
rc=$?
echo "1..1"
if [ "$rc" -eq 0 ]; then
	echo "ok 1 - $name"
else
	case $rc in
	250) why="the test's own setup failed" ;;
	252) why="a check failed with a code that is not 1..255" ;;
	253) why="unexpected exception in the S-mode handler" ;;
	254) why="trap inside the M-mode trap handler" ;;
	255) why="unexpected exception" ;;
	*) why="check $rc failed" ;;
	esac
	echo "not ok 1 - $name: $why (exit status $rc)"
fi
printf '%s\n' "$out" | sed -e 's/\r$//' -e '/^$/d' -e 's/^/# /'
exit 0
