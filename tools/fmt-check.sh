#!/bin/sh
# Report files clang-format would change (informational: exit 0).
n=0
for f in $(git ls-files '*.c' '*.h'); do
	if ! clang-format "$f" | cmp -s - "$f"; then n=$((n + 1)); echo "fmt: $f"; fi
done
echo "fmt-check: $n files differ from .clang-format"
