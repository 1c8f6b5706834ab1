# The bundled config and runbooks load, as a baseline for the others.
bot -n -c "$HERE/../../config/opsbot.yaml"
expect_rc 0
expect_out 'configuration OK'
