# File names holding a newline or an escape sequence are escaped in every
# diagnostic and log line (\n, \x1b), never written raw.
mkdir rb outside
printf -- '---\n: [\n---\n# Bad\n' >"rb/bad"$'\n'"name"$'\e'"[31m.md"
printf '# Evil\n' >"outside/evil"$'\e'"]0;pwned"$'\a'".md"
ln -s "$WORK/outside/evil"$'\e'"]0;pwned"$'\a'".md" "rb/x"$'\e'"[2J.md"
printf '# Fine\n\n## Fine section\n' >rb/fine.md
bot -n --runbooks rb
expect_rc 1
expect_out 'rb/bad\\nname\\x1b\[31m\.md:2:1: front matter'
expect_out 'rb/x\\x1b\[2J\.md: symbolic link to .*/outside/evil\\x1b\]0;pwned\\x07\.md, outside'
if LC_ALL=C grep -q $'[\e\a]' "$OUT"; then
	LC_ALL=C grep -n $'[\e\a]' "$OUT" | cat -v
	fail "raw control characters in the output"
fi
[ "$(wc -l <"$OUT")" -eq 2 ] || { cat -v "$OUT"; fail "a name split a line"; }

console $'!sop fine-section\n' --runbooks rb
expect_rc 0
expect_out 'bad\\nname\\x1b\[31m\.md:2:1: front matter'
if LC_ALL=C grep -q $'[\e\a]' "$OUT"; then
	LC_ALL=C grep -n $'[\e\a]' "$OUT" | cat -v
	fail "raw control characters in the log"
fi
