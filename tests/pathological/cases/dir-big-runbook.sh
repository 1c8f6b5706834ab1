# One 4 MB runbook of 87,846 sections: its full-text index was written
# one commit per section and the bot was ready after 49 s. Now the last
# section is answered well within the timeout, under ASan too
# (bench/big-runbook has the figures).
mkdir rb
awk 'BEGIN {
	print "# Big runbook\n"
	for (i = 1; i <= 87846; i++)
		printf "## Step %05d\n\nRestart unit %05d; check it.\n\n", i, i
}' >rb/big.md
start=$SECONDS
console $'!sop step-87846\n!runbook unit 87846\n' --runbooks rb
expect_rc 0
expect_out 'loaded 1 runbooks, 87847 sections'
expect_out '^\*Step 87846\*'
expect_out 'Restart unit 87846; check it'
echo "ready and answered in $((SECONDS - start)) s"
