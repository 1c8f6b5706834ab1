# opsbot lint on hostile runbook repositories: names and headings with
# control characters stay escaped on one line in every format; a file
# with 20,000 duplicate headings and 20,000 dead links is linted in
# n log n; a directory that cannot be read is an error, not a crash.
mkdir rb
printf '# Evil\x1b[2J\n\n[x](#no\x1b]0;pwned\x07where)\n\n## Empty\n' \
	>"rb/bad"$'\n'"name,x:y%"$'\e'"[31m"$'\xff'".md"
printf -- '---\n: [\n---\n# Bad\n' >"rb/fm"$'\r'".md"

bot lint rb
expect_rc 2
expect_out 'rb/bad\\nname,x:y%\\x1b\[31m\\xff\.md:3:1: error: link to .#no\\x1b\]0;pwned\\x07where.'
expect_out 'rb/fm\\r\.md:2:1: error: front matter'
if LC_ALL=C grep -q $'[\e\a\r]' "$OUT"; then
	LC_ALL=C grep -n $'[\e\a\r]' "$OUT" | cat -v
	fail "raw control characters in the text output"
fi
[ "$(wc -l <"$OUT")" -eq 4 ] || { cat -v "$OUT"; fail "a name split a line"; }

bot lint --format=github rb
expect_rc 2
expect_out '^::error file=rb/bad%0Aname%2Cx%3Ay%25\\x1b\[31m\\xff\.md,line=3,col=1::link'
expect_out '^::error file=rb/fm%0D\.md,line=2,col=1::front matter'
if LC_ALL=C grep -q $'[\e\a\r]' "$OUT"; then
	fail "raw control characters in the annotations"
fi
[ "$(grep -c '^::' "$OUT")" -eq 3 ] || { cat -v "$OUT"; fail "annotations split"; }

bot lint --format=json rb
expect_rc 2
sed '$d' "$OUT" | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert len(v) == 3, v
assert v[0]["file"].startswith("rb/bad\\nname"), v[0]
assert all(set(o) == {"file", "line", "column", "severity", "message",
    "check"} for o in v), v
' || { cat -v "$OUT"; fail "not the JSON array expected"; }

# Many headings of one name, many links to nowhere: n log n, not n^2.
rm -f rb/*
for i in $(seq 1 20000); do printf '## Same\n\n[a](#gone%d)\n\n' "$i"; done >rb/big.md
bot lint rb
expect_rc 2
[ "$(grep -c 'under the same heading' "$OUT")" -eq 19999 ] || fail "duplicates"
[ "$(grep -c "link to '#gone" "$OUT")" -eq 20000 ] || fail "dead links"

bot lint "$WORK/does-not-exist"
expect_rc 2
expect_out 'does-not-exist.*error'
