# A config over 1 MiB is refused before it is parsed, and so is a
# directory or an endless device.
python3 -c '
import sys
sys.stdout.write("prefix: \"!\"\n" + "# padding padding\n" * 60000)
' >big.yaml
bot -n -c big.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^big\.yaml:0:0: config file is larger than 1048576 bytes$'
bot -n -c /dev/zero --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^/dev/zero:0:0: config file is larger than 1048576 bytes$'
mkdir cfgdir
bot -n -c cfgdir --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^cfgdir:0:0: cannot read config file: it is a directory$'
