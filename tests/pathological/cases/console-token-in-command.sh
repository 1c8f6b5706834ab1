# A token typed into a command is neither echoed nor stored in the audit.
console $'!runbook xoxb-123-456-abc\n!frob xoxp-9-8-secret\n!runbook https://ops:hunter2pw@git.example/r\n' \
    --runbooks "$HERE/../../config/runbooks"
expect_rc 0
expect_no_out '123-456|9-8-secret|hunter2pw'
expect_out 'xoxb-\*\*\*'
python3 -c '
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT command, args FROM audit").fetchall()
assert len(rows) == 3, rows
for c, a in rows:
    for bad in ("123-456", "9-8-secret", "hunter2pw"):
        assert bad not in (c or "") + (a or ""), rows
print(rows)
' "$WORK/store.db"
