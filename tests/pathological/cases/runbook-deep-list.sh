# 30,000 nested list items (60 KB): each level re-indented everything
# below it, 9 s and 1.8 GB at `-n`, 3.5 GB answering. The address-space
# cap of the release run fails a blow-up; the clock, a slow one.
mkdir rb
python3 -c "print('# L\n\n' + '- ' * 30000 + 'x')" >rb/l.md
t0=$SECONDS
bot -n --runbooks rb
expect_rc 0
expect_out 'rb/l\.md:3:33: nested deeper than 32 levels'
expect_out 'configuration OK: 1 runbooks, 1 sections'

console $'!sop l\n' --runbooks rb
expect_rc 0
# 17 levels of bullets, the last holding the text.
expect_out "^ {64}• x$"
[ $(wc -c <"$OUT") -lt 20000 ] || fail "reply of $(wc -c <"$OUT") bytes"
[ $((SECONDS - t0)) -lt 20 ] || fail "took $((SECONDS - t0)) s"

# Lists, quotes and items mixed, 3,000 deep.
python3 -c "print('# M\n\n' + '1. > - ' * 3000 + 'y')" >rb/m.md
console $'!sop m\n' --runbooks rb
expect_rc 0
expect_out '^ *(> )?.*y$'
