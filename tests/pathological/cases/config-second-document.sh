# A second YAML document used to be ignored without a word.
printf 'prefix: "?"\n---\nprefix: "!"\n' >two.yaml
bot -n -c two.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^two\.yaml:2:1: a second YAML document: the config file holds one$'
# and the rest of issue 6's config items: an empty store, a NUL, a CA
# "file" that is a directory or not PEM, a section that is not a mapping
printf 'store: ""\n' >store.yaml
bot -n -c store.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^store\.yaml:1:8: store: must not be empty'
printf 'prefix: "a\\0b"\n' >nul.yaml
bot -n -c nul.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^nul\.yaml:1:9: prefix: contains a NUL byte$'
printf 'slack:\n  ca_file: /tmp\n' >cadir.yaml
bot -n -c cadir.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out "^cadir\.yaml:2:12: slack\.ca_file: '/tmp' is a directory$"
printf 'not a certificate\n' >junk.pem
printf 'slack:\n  ca_file: junk.pem\n' >cajunk.yaml
bot -n -c cajunk.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out "^cajunk\.yaml:2:12: slack\.ca_file: 'junk\.pem' holds no readable PEM certificate$"
printf 'slack: on\n' >section.yaml
bot -n -c section.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out "^section\.yaml:1:8: slack: expected a mapping of slack\.\* options$"
