#!/bin/sh
# tests/private-tmp.sh SHELL SCRIPT ARG...: run SCRIPT with SHELL in the
# mount namespace tests/lib.sh made (unshare -m), with a /tmp of its own:
# a tmpfs holding every entry of the machine's /tmp, each bound back,
# except pam_wrapper's copies of PAM services (/tmp/pam.X).  pam_wrapper
# picks X by lstat() then mkdir(), so two tests starting PAM at once
# could share one and read each other's services; each test's own /tmp
# keeps them apart, and the tests run in parallel.  Entries made in
# the machine's /tmp afterwards are not seen here, nor ours there.
set -eu
sh=$1
shift
mount --make-rprivate /
old=$(mktemp -d /var/tmp/daicho-tmp.XXXXXX)
mount --bind /tmp "$old"
mount -t tmpfs -o mode=1777 daicho-tmp /tmp
for e in "$old"/* "$old"/.[!.]* "$old"/..?*; do
	[ -e "$e" ] || [ -L "$e" ] || continue
	n=${e##*/}
	case $n in
	pam.?) continue ;;
	esac
	if [ -L "$e" ]; then
		cp -P "$e" "/tmp/$n"
		continue
	elif [ -d "$e" ]; then
		mkdir "/tmp/$n"
	else
		: >"/tmp/$n"
	fi
	# An entry may go between the listing and here (a compiler's
	# temporary file, while make builds beside the tests): then its
	# stand-in goes too.  Any other failure is one.
	if ! mount --bind "$e" "/tmp/$n" 2>"$old.err"; then
		if [ -e "$e" ] || [ -L "$e" ]; then
			cat "$old.err" >&2
			rm -f "$old.err"
			exit 1
		fi
		rm -rf "/tmp/${n:?}"
	fi
done
rm -f "$old.err"
umount -l "$old"
rmdir "$old"
DAICHO_PRIVATE_TMP=1
export DAICHO_PRIVATE_TMP
exec "$sh" "$@"
