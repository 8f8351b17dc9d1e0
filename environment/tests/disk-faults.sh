#!/usr/bin/env bash
# Fault injection (issue 13), the file system's side: a disk that fills during training, a read-only disk, a run
# folder that vanishes while it trains, eval --write on a busy folder, an index whose areas were edited, and
# PNG and NIfTI decompression bombs under a 1 GB heap.
# Each must end in one clear error naming the path, leave nothing half-written that blocks the rerun, and change
# nothing the user made.
#   environment/tests/disk-faults.sh
# The small disk is a 12 MB tmpfs mounted for the test (root, as in CI; a quick U-Net's parameters take 2.2 MB,
# two epochs keep a checkpoint and a best model); where mounting is not allowed it falls back to a file-size limit
# (ulimit -f) and skips the read-only case. Runs offline, at smoke size.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
calf="$root/data-scripts/calf"
work="$(mktemp -d)"
disk="$work/disk"
mkdir -p "$disk"
mounted=0
cleanup() { if ((mounted)); then umount "$disk" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "disk-faults: $*"; exit 1; }
smoke() { CALF_SCALE=smoke "$calf" "$@"; }
epochs_of() { tail -n +2 "$1/metrics.csv" | cut -d, -f1 | tr '\n' ' '; }
leftovers() { find "$1" \( -name '.partial' -o -name '*.tmp' \) -print; }

smoke synth --out "$work/data" --scale smoke >/dev/null
if mount -t tmpfs -o size=12m tmpfs "$disk" 2>/dev/null; then
  mounted=1
  echo "disk-faults: a 12 MB tmpfs at $disk"
else
  echo "disk-faults: mounting is not allowed here: the full disk is a file-size limit (ulimit -f), no read-only case"
fi

# 1. The disk fills during training. Two epochs fit; then the disk is filled to within 100 KB (less than one
#    checkpoint of about 540 KB), and a resume to 6 epochs must fail at epoch 3's checkpoint naming the file.
run="$disk/run"
smoke train --data "$work/data" --model unet --loss calf --epochs 2 --out "$run" >"$work/t1.out" 2>&1 \
  || fail "the first two epochs did not train: $(tail -3 "$work/t1.out")"
if ((mounted)); then
  free=$(( $(stat -f -c '%a*%S' "$disk") ))
  head -c $((free - 100 * 1024)) /dev/zero >"$disk/filler" 2>/dev/null || true
  rc=0; smoke train --data "$work/data" --model unet --loss calf --epochs 6 --out "$run" --resume >"$work/t2.out" 2>&1 || rc=$?
else
  rc=0; (ulimit -f 256; smoke train --data "$work/data" --model unet --loss calf --epochs 6 --out "$run" --resume) \
    >"$work/t2.out" 2>&1 || rc=$?
fi
[[ $rc != 0 ]] || fail "training on a full disk exited 0"
msg="$(grep '^calf train:' "$work/t2.out" || true)"
[[ $msg == *"$run/"* ]] || fail "the full-disk error does not name a file of the run folder: $(tail -3 "$work/t2.out")"
[[ $msg == *"No space left on device"* || $msg == *"File too large"* ]] || fail "the full-disk error does not say why: $msg"
[[ -z $(leftovers "$run") ]] || fail "the failed save left $(leftovers "$run")"
got="$(epochs_of "$run")"
last=$(wc -w <<<"$got")
[[ -f $run/checkpoints/$(printf 'model-%04d.params' "$last") ]] || fail "metrics.csv records epoch $last without its checkpoint"
echo "disk-faults: disk full: refused with '${msg#calf train: }'; metrics.csv holds epochs ${got% }, nothing half-written"
rm -f "$disk/filler"
smoke train --data "$work/data" --model unet --loss calf --epochs 6 --out "$run" --resume >"$work/t3.out" 2>&1 \
  || fail "the resume after the disk was freed failed: $(tail -3 "$work/t3.out")"
[[ $(epochs_of "$run") == "1 2 3 4 5 6 " ]] || fail "after the resume metrics.csv holds epochs '$(epochs_of "$run")'"
echo "disk-faults: disk freed: the resume finished epochs $((last + 1))–6; metrics.csv holds 1–6 once each"

# A new run that cannot write even its config: the folder it leaves is taken over by the rerun.
if ((mounted)); then
  free=$(( $(stat -f -c '%a*%S' "$disk") ))
  head -c "$free" /dev/zero >"$disk/filler" 2>/dev/null || true
  rc=0; smoke train --data "$work/data" --model unet --loss bce --epochs 1 --out "$disk/new" >"$work/t4.out" 2>&1 || rc=$?
  [[ $rc != 0 ]] && grep -q "$disk/new" "$work/t4.out" || fail "a new run on a full disk: exit $rc, $(tail -2 "$work/t4.out")"
  rm -f "$disk/filler"
  smoke train --data "$work/data" --model unet --loss bce --epochs 1 --out "$disk/new" >"$work/t5.out" 2>&1 \
    || fail "the rerun of a run that could not start was refused: $(tail -2 "$work/t5.out")"
  echo "disk-faults: a run that could not start on a full disk: '$(grep '^calf train:' "$work/t4.out" | cut -c13-)'; the rerun took the folder over"
fi

# 2. A read-only disk: train and eval --write fail naming the path; eval reads; nothing changes.
if ((mounted)); then
  before="$(cd "$run" && find . -type f -exec sha256sum {} + | sort)"
  mount -o remount,ro "$disk"
  rc=0; smoke train --data "$work/data" --model unet --loss bce --epochs 1 --out "$disk/ro-new" >"$work/r1.out" 2>&1 || rc=$?
  [[ $rc != 0 ]] && grep -q "$disk/ro-new.*Read-only file system" "$work/r1.out" || fail "a new run on a read-only disk: $(tail -2 "$work/r1.out")"
  rc=0; smoke eval --data "$work/data" --run "$run" --write >"$work/r2.out" 2>&1 || rc=$?
  [[ $rc != 0 ]] && grep -q "$run/.*Read-only file system" "$work/r2.out" || fail "eval --write on a read-only disk: $(tail -2 "$work/r2.out")"
  smoke eval --data "$work/data" --run "$run" >"$work/r3.out" 2>&1 || fail "eval on a read-only disk failed: $(tail -2 "$work/r3.out")"
  mount -o remount,rw "$disk"
  [[ "$(cd "$run" && find . -type f -exec sha256sum {} + | sort)" == "$before" ]] || fail "the read-only attempts changed the run folder"
  echo "disk-faults: read-only disk: train refused with '$(grep '^calf train:' "$work/r1.out" | cut -c13-)'; eval --write refused; eval reads; nothing changed"
fi

# 3. A run folder moved away (or deleted) while it trains: the run stops naming it, and recreates nothing.
gone="$work/gone"
smoke train --data "$work/data" --model unet --loss bce --epochs 200 --out "$gone" >"$work/g.out" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  [[ -f $gone/metrics.csv && $(tail -n +2 "$gone/metrics.csv" | wc -l) -ge 2 ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
mv "$gone" "$work/moved-away"
rc=0; wait "$pid" || rc=$?
[[ $rc != 0 ]] || fail "a training whose folder vanished exited 0"
grep -q "$gone.*gone" "$work/g.out" || fail "the vanished-folder error does not name the folder: $(tail -2 "$work/g.out")"
[[ ! -e $gone ]] || fail "$gone was recreated after it vanished: $(find "$gone")"
echo "disk-faults: folder moved away while training: '$(grep '^calf train:' "$work/g.out" | cut -c13-)'; nothing recreated"

# 4. eval --write on a folder where a training runs: refused naming the holder; the training is untouched.
busy="$work/busy"
smoke train --data "$work/data" --model unet --loss bce --epochs 3 --out "$busy" >"$work/b1.out" 2>&1 &
pid=$!
for _ in $(seq 1 300); do [[ -f $busy/best/model-0001.params ]] && break; sleep 0.05; done
rc=0; smoke eval --data "$work/data" --run "$busy" --write >"$work/b2.out" 2>&1 || rc=$?
wait "$pid" || fail "the training beside eval --write failed: $(tail -2 "$work/b1.out")"
[[ $rc != 0 ]] && grep -q "another process is training in this run folder" "$work/b2.out" || fail "eval --write on a busy folder: exit $rc, $(tail -2 "$work/b2.out")"
[[ $(epochs_of "$busy") == "1 2 3 " ]] || fail "the training beside eval --write recorded '$(epochs_of "$busy")'"
smoke eval --data "$work/data" --run "$busy" --write >"$work/b3.out" 2>&1 || fail "eval --write on an idle folder: $(tail -2 "$work/b3.out")"
echo "disk-faults: eval --write on a busy folder refused ('$(grep -o 'another process.*(' "$work/b2.out" | head -1)…'); on the idle folder it rewrote the test files"

# 5. An index whose area was edited: calf index --verify names the line, and exits 1.
cp -r "$work/data" "$work/edited"
awk -F, -v OFS=, 'NR == 5 { $5 = $5 + 7 } { print }' "$work/data/index.csv" >"$work/edited/index.csv"
rc=0; smoke index "$work/edited" --verify >"$work/v1.out" 2>&1 || rc=$?
[[ $rc == 1 ]] && grep -q "index.csv line 5: .*area" "$work/v1.out" || fail "index --verify on an edited index: exit $rc, $(cat "$work/v1.out")"
smoke index "$work/data" --verify >"$work/v2.out" 2>&1 || fail "index --verify on a faithful index: $(cat "$work/v2.out")"
echo "disk-faults: index --verify: '$(head -1 "$work/v1.out" | sed "s|$work/||")'"
# 6. Decompression bombs under the kernel's heap (-Xmx1g): PNGs and NIfTIs whose headers claim more than they
#    hold are skipped by --skip-bad, each named, with no OutOfMemoryError; the peak memory is measured.
cp -r "$work/data" "$work/bombs"
mkdir -p "$work/nifti/case1" "$work/nifti/case2"
/usr/bin/python3 - "$work/bombs" "$work/nifti" <<'PY'
import gzip, struct, sys, zlib
root, nifti = sys.argv[1], sys.argv[2]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
def png(w, h, depth, colour, idat, plte=None):
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
    return out + (chunk(b"PLTE", plte) if plte else b"") + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
bombs = {
    "P0001/images/0000.png": png(40000, 40000, 8, 0, zlib.compress(b"\0")),             # 69 bytes, 1.6 GB claimed
    "P0001/images/0001.png": png(4000, 4000, 8, 0, zlib.compress(bytes(2_000_000), 9)),  # 2 MB of zeros, 16 MB claimed
    "P0001/images/0002.png": png(4, 4, 8, 3, zlib.compress(bytes(20)), bytes(900)),     # a palette of 300 entries
    "P0001/images/0003.png": png(4, 4, 0, 0, zlib.compress(bytes(20))),                 # bit depth 0
}
for name, data in bombs.items():
    open(f"{root}/{name}", "wb").write(data)
def header(*dims):
    h = bytearray(352)
    struct.pack_into("<i", h, 0, 348)
    struct.pack_into("<h", h, 40, len(dims))
    for i, d in enumerate(dims):
        struct.pack_into("<h", h, 42 + 2 * i, d)
    struct.pack_into("<hh", h, 70, 16, 32)
    struct.pack_into("<f", h, 108, 352.0)
    h[344:348] = b"n+1\0"
    return bytes(h)
for case, dims in (("case1", (1000, 1000, 1000)), ("case2", (32767, 32767, 32767))):
    for mod in ("flair", "seg"):
        with gzip.open(f"{nifti}/{case}/{case}_{mod}.nii.gz", "wb") as f:
            f.write(header(*dims) + bytes(64 * 1024))
PY
rc=0; CALF_JAVA_OPTS=-Xmx1g /usr/bin/time -f '%M' -o "$work/png.rss" "$calf" index "$work/bombs" --skip-bad --force \
  >"$work/p.out" 2>&1 || rc=$?
[[ $rc == 0 ]] && grep -q "skipped 4 bad pair" "$work/p.out" && ! grep -q "OutOfMemoryError" "$work/p.out" \
  || fail "PNG bombs under -Xmx1g: exit $rc, $(cat "$work/p.out")"
rc=0; CALF_JAVA_OPTS=-Xmx1g /usr/bin/time -f '%M' -o "$work/nii.rss" "$calf" convert --dataset brats --in "$work/nifti" \
  --out "$work/converted" --skip-bad >"$work/n.out" 2>&1 || rc=$?
grep -q "case1_flair.nii.gz.*limit" "$work/n.out" && grep -q "case2_flair.nii.gz" "$work/n.out" \
  && ! grep -q "OutOfMemoryError\|len < 0" "$work/n.out" || fail "NIfTI bombs under -Xmx1g: exit $rc, $(cat "$work/n.out")"
echo "disk-faults: bombs under -Xmx1g: 4 PNG bombs skipped by calf index --skip-bad (peak RSS $(( $(tail -1 "$work/png.rss") / 1024 )) MB), 2 NIfTI bombs refused by calf convert (peak RSS $(( $(tail -1 "$work/nii.rss") / 1024 )) MB); no OutOfMemoryError"
# 7. A file name outside ASCII under a non-UTF-8 locale (index --verify reads the index): the JVM cannot spell it,
#    and the error says so, naming the file-name encoding and the locale it came from.
mkdir -p "$work/unicode"; cp -r "$work/data/." "$work/unicode/"
first="$(ls "$work/unicode" | grep -v index.csv | head -1)"
mv "$work/unicode/$first" "$work/unicode/é$first"
sed -i "s|^$first,\([^,]*\),$first/|é$first,\1,é$first/|; s|,$first/masks/|,é$first/masks/|" "$work/unicode/index.csv"
rc=0; env -u LC_ALL -u LC_CTYPE LANG=C "$calf" index "$work/unicode" --verify >"$work/u.out" 2>&1 || rc=$?
[[ $rc != 0 ]] && grep -q "is not a valid path in this JVM's file-name encoding, .* (from LANG=C); start it under a UTF-8 locale" "$work/u.out" \
  || fail "a Unicode name under LANG=C: exit $rc, $(tail -2 "$work/u.out")"
rc=0; env -u LC_ALL -u LC_CTYPE LANG=C.UTF-8 "$calf" index "$work/unicode" --verify >"$work/u2.out" 2>&1 || rc=$?
[[ $rc == 0 ]] || fail "a Unicode name under LANG=C.UTF-8 was refused or disagrees: $(tail -2 "$work/u2.out")"
echo "disk-faults: a Unicode file name under LANG=C is refused naming the encoding and the locale; under C.UTF-8 it reads"
echo "disk-faults: all cases passed"
