# 1M nested '[' once ran past 120 s (libyaml rescans its simple-key
# stack for every token): the depth limit stops it at level 65.
python3 -c 'import sys; sys.stdout.write("[" * 1000000)' >deep.yaml
bot -n -c deep.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^deep\.yaml:1:65: nesting deeper than 64 levels$'
# the same under an option
python3 -c 'import sys; sys.stdout.write("runbooks: " + "[" * 1000000)' >deep2.yaml
bot -n -c deep2.yaml
expect_rc 1
expect_out '^deep2\.yaml:1:74: nesting deeper than 64 levels$'
