# Runbooks more than 16 directories down used to be skipped silently:
# now an error for -n (exit 1), or a warning with --allow-skipped-runbooks.
d=rb
for i in $(seq 1 17); do
	d=$d/d$i
	mkdir -p "$d"
	[ "$i" -lt 16 ] || printf '# Deep %d\n\n## Level %d\n' "$i" "$i" >"$d/deep$i.md"
done
printf '# Top\n' >rb/top.md
bot -n --runbooks rb
expect_rc 1
expect_out 'rb/d1/d2/.*/d16/d17: deeper than 16 directories: skipped$'
expect_no_out 'configuration OK'

bot -n --allow-skipped-runbooks --runbooks rb
expect_rc 0
expect_out 'd17: deeper than 16 directories: skipped \(warning\)'
expect_out 'configuration OK: 2 runbooks'

# The bot itself starts anyway, and says what it skipped.
console $'!sop level-16\n!sop level-17\n' --runbooks rb
expect_rc 0
expect_out 'deeper than 16 directories'
expect_out 'Level 16'
expect_no_out 'Level 17'
