# 200,000 anchors once took 97 s to load (each new anchor was compared
# with every earlier one). Now such a file is over the size limit, and as
# many anchors as fit under it stop at the anchor limit, at once.
python3 -c '
import sys
sys.stdout.write("runbooks:\n" + "".join("  - &a%d d\n" % i for i in range(200000)))
' >bomb.yaml
bot -n -c bomb.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^bomb\.yaml:0:0: config file is larger than 1048576 bytes$'
python3 -c '
import sys
sys.stdout.write("runbooks:\n" + "".join("- &%d d\n" % i for i in range(90000)))
' >bomb2.yaml
[ "$(stat -c %s bomb2.yaml)" -le 1048576 ] || fail "bomb2.yaml too big"
bot -n -c bomb2.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^bomb2\.yaml:102:3: more than 100 anchors$'
# aliases are copies, and at most 1 MiB of them
python3 -c '
import sys
sys.stdout.write("runbooks:\n- &big " + "x" * 500000 + "\n" + "- *big\n" * 3)
' >laughs.yaml
bot -n -c laughs.yaml --runbooks "$HERE/../../config/runbooks"
expect_rc 1
expect_out '^laughs\.yaml:5:3: aliases expand to more than 1048576 bytes$'
