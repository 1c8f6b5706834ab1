# A file name with a newline and a terminal escape is logged escaped:
# it cannot forge a log line or colour the terminal.
mkdir rb
printf '# Fine\n\nText.\n' >"rb/$(printf 'evil\n2026-01-01T00:00:00.000Z info forged\x1b[31m.md')"
printf -- '---\ntitle: [unclosed\n---\n# X\n' >"rb/$(printf 'bad\x1b]0;t\x07.md')"
console '!help\n' --runbooks rb -v -v
expect_rc 0
expect_no_out $'\x1b'
expect_no_out '^2026-01-01T00:00:00.000Z info forged'
expect_out 'bad\\x1b\]0;t\\x07\.md'
