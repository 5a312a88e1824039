#!/usr/bin/env bash
# The image's root file system besides meshlog's jars (which Jib adds under /app): a Java 17 runtime made by jlink
# from the JDK that builds, the shared libraries it links (copied from this machine: the image has no base to
# pull), a passwd naming the non-root user the image runs as, and writable /tmp and /var/lib/meshlog.
# Usage: rootfs.sh OUT_DIR   (rebuilt only when the JDK changed)
set -euo pipefail
out="$1"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
stamp="$out/.built-from"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$jdk $(stat -c %Y "$jdk/release")" ]; then
  exit 0
fi
rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp" "$out/var/lib/meshlog" "$out/etc" "$out/proc" "$out/dev"
jlink="$jdk/bin/jlink"
[ -x "$jlink" ] || jlink="$(command -v jlink)"
# The modules meshlog's libraries load: Kafka (SASL, GSS-API classes), Netty and protobuf (jdk.unsupported),
# TLS with EC keys (jdk.crypto.ec), the JDK HTTP client (fabric8), JMX metrics (Micrometer), java.beans (Jackson).
"$jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.prefs,\
java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,\
jdk.security.auth,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/opt/java"
# What the runtime links, except the AWT, font and sound libraries a headless server never loads.
libs=$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
  ! -name 'libawt_xawt.so' ! -name 'libfontmanager.so' ! -name 'libsplashscreen.so' ! -name 'libjsound.so' \
  ! -name 'libjawt.so' ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libmlib_image.so' \
  -exec ldd {} \; 2>/dev/null | awk '/=> \// {print $3} /^\s*\/[^ ]*ld-linux/ {print $1}' | sort -u)
for lib in $libs; do
  case "$lib" in "$out"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# The dynamic loader by the path the binaries name (PT_INTERP), and the usual /lib64 link.
interp=$(readlink -f /lib64/ld-linux-x86-64.so.2)
mkdir -p "$out/lib64"
cp -L "$interp" "$out/lib64/ld-linux-x86-64.so.2"
cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
meshlog:x:65532:65532:meshlog:/var/lib/meshlog:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
meshlog:x:65532:
GROUP
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$out/etc/hosts"
echo "$jdk $(stat -c %Y "$jdk/release")" > "$stamp"
