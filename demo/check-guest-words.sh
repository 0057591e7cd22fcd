#!/bin/sh
# Re-assembles the assembly comments of the guest programs in src/guest.rs
# and checks that every instruction word in the source matches.
#
# Each array line looks like `    0xd2800013, // mov x19, #0`; a comment line
# `    // loop:` is a label. Needs clang/llvm-objcopy 19 (LLVM_BIN to override).
set -eu
LLVM_BIN=${LLVM_BIN:-/usr/lib/llvm-19/bin}
src=$(dirname "$0")/src/guest.rs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for prog in $(sed -n 's/^pub const \(GUEST_[A-Z_]*\): &\[u32\] = &\[$/\1/p' "$src"); do
    # The lines of this array, up to the closing "];".
    sed -n "/^pub const $prog: /,/^];/p" "$src" > "$tmp/$prog.rs"
    {
        echo ".text"
        sed -n -e 's/^ *\/\/ \([a-z_][a-z_0-9]*\):$/\1:/p' \
               -e 's/^ *0x[0-9a-f]\{8\}, \/\/ \(.*\)$/\t\1/p' "$tmp/$prog.rs"
    } > "$tmp/$prog.S"
    sed -n 's/^ *0x\([0-9a-f]\{8\}\),.*/\1/p' "$tmp/$prog.rs" > "$tmp/$prog.want"
    "$LLVM_BIN/clang" --target=aarch64-linux-gnu -march=armv8.2-a+sve \
        -c "$tmp/$prog.S" -o "$tmp/$prog.o"
    "$LLVM_BIN/llvm-objcopy" -O binary --only-section=.text "$tmp/$prog.o" "$tmp/$prog.bin"
    od -An -v -tx4 -w4 --endian=little "$tmp/$prog.bin" | tr -d ' ' > "$tmp/$prog.got"
    if cmp -s "$tmp/$prog.want" "$tmp/$prog.got"; then
        echo "$prog: $(wc -l < "$tmp/$prog.want") words match the assembler"
    else
        echo "$prog: MISMATCH (source word vs assembler):"
        diff "$tmp/$prog.want" "$tmp/$prog.got" || true
        status=1
    fi
done
exit $status
