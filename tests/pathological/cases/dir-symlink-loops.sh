# Links back to the runbook dir: two used to make 131,071 runbooks, three
# never finished. Each directory is walked once, each file loaded once,
# and each loop reported.
mkdir rb
printf '# Only\n\n## Once\n' >rb/only.md
ln -s . rb/a
ln -s . rb/b
bot -n --runbooks rb
expect_rc 0
expect_out 'configuration OK: 1 runbooks, 2 sections'
expect_out 'rb/a: directory already walked .*skipped \(warning\)'
expect_out 'rb/b: directory already walked'

ln -s . rb/c
mkdir rb/sub
ln -s .. rb/sub/up
bot -n --runbooks rb
expect_rc 0
expect_out 'configuration OK: 1 runbooks, 2 sections'
expect_out 'rb/c: directory already walked'
expect_out 'rb/sub/up: directory already walked'
