#!/usr/bin/env bash
# Every #include "<layer>/..." in shim/ points at the file's own layer or one
# below it. The build enforces the same rule (each layer sees only the
# include folders of the layers it links); this names the offending line.
#   tests/layering/check_includes.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
declare -A allowed=(
    [async]="async"
    [wire]="wire async"
    [redis]="redis async"
    [session]="session redis async"
    [upstream]="upstream wire async"
    [relay]="relay session upstream wire async"
    [record]="record session upstream wire async"
    [http]="http relay record session upstream wire async"
    [stdio]="stdio relay session upstream wire async"
)
bad=0
for layer in "${!allowed[@]}"; do
    for file in "$root"/shim/"$layer"/*.{hpp,cpp}; do
        [ -e "$file" ] || continue
        while IFS= read -r line; do
            target=$(echo "$line" | sed -E 's/.*#include "([^/"]+)\/.*/\1/')
            [ "$target" = "$line" ] && continue  # no folder: same-folder or library header
            if [ "$target" = "mcpshim" ]; then
                # rewrite/'s headers are under every layer; the analyzer is a command's.
                [[ "$line" == *'"mcpshim/rewrite/'* ]] && continue
                target=analyzer
            fi
            if ! [[ " ${allowed[$layer]} " == *" $target "* ]]; then
                echo "${file#"$root"/}: includes $target/ from $layer/ ($layer may use: ${allowed[$layer]})"
                bad=1
            fi
        done < <(grep -E '^#include "' "$file")
    done
done
# Headers with no folder live in shim/ itself: the commands' layer.
for layer in "${!allowed[@]}"; do
    if grep -lE '^#include "[^/"]+"' "$root"/shim/"$layer"/*.{hpp,cpp} 2>/dev/null | grep -q .; then
        grep -nE '^#include "[^/"]+"' "$root"/shim/"$layer"/*.{hpp,cpp} | sed "s|$root/||; s|\$| (a command header, from $layer/)|"
        bad=1
    fi
done
[ $bad -eq 0 ] && echo "layering: every include in shim/ points down"
exit $bad
