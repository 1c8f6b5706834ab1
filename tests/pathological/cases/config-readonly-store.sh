# A store on a read-only file system said only "disk I/O error". Needs a
# mount namespace (unshare -rm) for a read-only tmpfs; skipped without.
mkdir ro
rb="$HERE/../../config/runbooks"
if ! unshare -rm true 2>/dev/null; then
	echo "skipped: no unshare -rm"
	exit 0
fi
set +e
printf '!help\n' | timeout 60 unshare -rm sh -c '
	mount -t tmpfs none "$1" || exit 99
	"$2" --console --db "$1/s.db" --runbooks "$3" >/dev/null 2>&1
	mount -o remount,ro "$1" || exit 99
	"$2" --console --db "$1/s.db" --runbooks "$3"
	"$2" --console --db "$1/new.db" --runbooks "$3"
' _ "$WORK/ro" "$OPSBOT" "$rb" >"$OUT" 2>&1
RC=$?
set -e
[ $RC -ne 99 ] || { echo "skipped: cannot mount"; exit 0; }
expect_no_out 'disk I/O error|unable to open database file'
expect_out "cannot open database '$WORK/ro/s.db': the store file '$WORK/ro/s.db' is not writable \(Read-only file system\)"
expect_out "cannot open database '$WORK/ro/new.db': the store directory '$WORK/ro' is not writable \(Read-only file system\)"
