# 100,000 nested emphasis markers of each kind, and nested images: the
# renderer and the plain text walk recursed once per level. Headings
# nest only 100 deep (a reply of 100,000 markers is split in parts).
mkdir rb
python3 - <<'PY'
n = 100000
kinds = {
    'star': ('*' * n, '*' * n),
    'under': ('_' * n, '_' * n),
    'strong': ('**a ' * (n // 4), ' b**' * (n // 4)),
    'strike': ('~~' * n, '~~' * n),
    'bracket': ('[' * n, '](#a)' * n),
    'image': ('![' * (n // 2), '](#a)' * (n // 2)),
}
for name, (open_, close) in kinds.items():
    with open('rb/%s.md' % name, 'w') as f:
        f.write('# %s\n\nw %sdeepword%s\n\n## %s title %sx%s\n' %
            (name, open_, close, name, open_[:200], close[:200]))
PY
bot -n --runbooks rb
expect_rc 0
for k in star under strong image; do
	expect_out "rb/$k\.md:3:[0-9]+: nested deeper than 32 levels"
done
expect_out 'configuration OK: 6 runbooks, 12 sections'

console $'!sop star\n!sop under\n!sop strong\n!sop strike\n!sop bracket\n!sop image\n!sop star title x\n' --runbooks rb
expect_rc 0
# Nested past 32 levels: the innermost as plain text.
[ "$(grep -cE '^w \*{32}deepword\*{32}$' "$OUT")" -eq 2 ] ||
    fail "star and under not flattened"
expect_out '^w deepword$'
expect_out '^\*star title x\*$'
# Text that big (no nesting to flatten) is answered in parts.
for k in strong strike bracket; do
	expect_out "^\*$k\* is too long for one answer"
done
expect_no_out 'No SOP matches'
