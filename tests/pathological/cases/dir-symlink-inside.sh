# Links that stay inside the runbook dir are followed; every file is
# loaded once, whichever paths lead to it.
mkdir -p rb/real rb/other
printf '# Cee\n\n## Restart cee\n' >rb/real/c.md
printf '# Dee\n\n## Restart dee\n' >rb/real/d.md
ln -s real rb/alias
ln -s real/c.md rb/c-again.md
ln -s ../real/d.md rb/other/d-link.md
ln -s "$WORK/rb/real/c.md" rb/other/c-abs.md
bot -n --runbooks rb
expect_rc 0
expect_out 'configuration OK: 2 runbooks, 4 sections'
expect_out 'c-again.md: same file as one already loaded: skipped \(warning\)'

# Only the link: the target is loaded through it.
mkdir rb2 store
printf '# Eee\n\n## Restart eee\n' >store/e.md
ln -s ../store/e.md rb2/e.md
console $'!sop restart-eee\n' --runbooks rb2 --runbooks store
expect_rc 0
expect_out 'Restart eee'
