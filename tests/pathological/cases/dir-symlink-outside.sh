# A link out of the runbook dir is not followed: /etc/passwd linked as
# passwd.txt used to be served by `!runbook root`. It is reported.
mkdir rb outside
printf '# Ops\n\n## Restart\n\nsystemctl restart it\n' >rb/ops.md
ln -s /etc/passwd rb/passwd.txt
printf '# Secret\n\nroot:x:0:0 hunter2\n' >outside/secret.md
ln -s "$WORK/outside" rb/elsewhere
ln -s ../outside/secret.md rb/relative.md
bot -n --runbooks rb
expect_rc 0
expect_out 'configuration OK: 1 runbooks'
expect_out 'rb/passwd.txt: symbolic link to /etc/passwd, outside the runbook directories: skipped \(warning\)'
expect_out 'rb/elsewhere: symbolic link to .*/outside, outside'
expect_out 'rb/relative.md: symbolic link to .*/outside/secret.md, outside'

console $'!runbook root\n!runbook hunter2\n!sop passwd\n' --runbooks rb
expect_rc 0
expect_no_out 'root:x:0:0'
expect_no_out 'hunter2 *$'
expect_no_out '/bin/(ba)?sh'
expect_out 'passwd.txt: symbolic link to /etc/passwd, outside'

# Given as a runbook dir of its own, outside/ may be linked to.
bot -n --runbooks rb --runbooks outside
expect_rc 0
expect_out 'configuration OK: 2 runbooks'
