# 15,000 nested block quotes (15 KB): the renderer recursed once per
# level and overflowed the release build's stack.
mkdir rb
python3 -c "print('# Deep\n\n' + '>' * 15000 + ' innermost')" >rb/deep.md
bot -n --runbooks rb
expect_rc 0
expect_out 'rb/deep\.md:3:34: nested deeper than 32 levels; shown flattened'
expect_out 'configuration OK: 1 runbooks, 1 sections'

console $'!sop deep\n' --runbooks rb
expect_rc 0
expect_out '^(> ){33}innermost$'
