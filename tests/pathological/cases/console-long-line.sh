# A line longer than the console's buffer is dropped whole, with a
# warning: its tail used to run as a command of its own.
python3 -c '
import sys
sys.stdout.write("x" * 69632 + "!sop hivedown\n" + "!help\n")
' >long.txt
bot --console --db "$WORK/store.db" --runbooks "$HERE/../../config/runbooks" <long.txt
expect_rc 0
expect_out 'console: line 1: longer than 65536 bytes, ignored'
expect_no_out 'SOP › HiveDown'
# the next line still runs
expect_out 'lists what I can do|!sop alert'
# the same at end of input without a newline, and a line whose newline
# arrives in the read that crosses the limit
python3 -c '
import sys
sys.stdout.write("!help\n" + "y" * 65530 + "!sop hivedown\n!help\n" + "z" * 70000 + "!sop hivedown")
' >long2.txt
bot --console --db "$WORK/store.db" --runbooks "$HERE/../../config/runbooks" <long2.txt
expect_rc 0
expect_out 'console: line 2: longer than 65536 bytes, ignored'
expect_out 'console: line 4: longer than 65536 bytes, ignored'
expect_no_out 'SOP › HiveDown'
[ "$(grep -c 'lists what I can do\|!sop' "$OUT")" -ge 2 ] || fail "later lines did not run"
