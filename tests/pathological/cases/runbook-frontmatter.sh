# Front matter with 100,000 anchors and aliases took libyaml's loader
# 11 s (it compares each anchor with all before it); oversized or
# deeply nested front matter is refused too, each with its position, and
# aliases (copies) may not copy more than the size limit in total.
python3 - <<'PY'
import os
def fm(name, body):
    os.mkdir(name)
    with open('%s/%s.md' % (name, name), 'w') as f:
        f.write('---\ntitle: %s\n%s\n---\n# %s\n\ntext\n' % (name, body, name))
fm('anchors', '\n'.join('a%d: &a%d x' % (i, i) for i in range(100000)) + '\n' +
   '\n'.join('b%d: *a%d' % (i, i) for i in range(100000)))
fm('some', '\n'.join('a%d: &a%d x' % (i, i) for i in range(1000)))
fm('aliases', 'x: &x [a, b]\n' + '\n'.join('y%d: *x' % i for i in range(1000)))
fm('big', 'desc: ' + 'y' * 70000)
fm('deep', 'x: ' + '[' * 10000 + ']' * 10000)
fm('fine', 'tags: &t [ok]\nother: *t')
PY

# check DIR ERE: `-n` on DIR fails with an error matching ERE, quickly.
check() {
	local t0=$SECONDS
	bot -n --runbooks "$1"
	expect_rc 1
	expect_out "^$1/$1\.md:$2\$"
	[ $((SECONDS - t0)) -lt 10 ] || fail "$1: took $((SECONDS - t0)) s"
}
check anchors '[0-9]+:[0-9]+: front matter: longer than 65536 bytes'
check some '67:6: front matter: more than 64 anchors'
check aliases '[0-9]+:7: front matter: aliases expand to more than 65536 bytes'
check big '3:65526: front matter: longer than 65536 bytes'
check deep '3:67: front matter: nesting deeper than 64 levels'
bot -n --runbooks fine
expect_rc 0

# Without -n the bad files are skipped and the rest still answers.
console $'!sop fine\n!sop anchors\n' --runbooks fine --runbooks anchors \
    --runbooks deep
expect_rc 0
expect_out 'anchors\.md:.*front matter: longer than 65536 bytes \(runbook skipped\)'
expect_out '^\*fine\*$'
expect_out 'No SOP matches `anchors`'
