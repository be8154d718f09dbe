#!/usr/bin/env bash
# One place per option name: rewrite/include/mcpshim/rewrite/option_names.hpp.
# Fails when code (not a comment) spells an option in a string literal of its
# own instead of taking the constant, or when a constant names an option no
# subcommand registers (a refusal pointing at an option that does not exist).
#   tests/layering/check_option_names.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
names=$root/rewrite/include/mcpshim/rewrite/option_names.hpp
bad=0
# Code with its // comments cut off; CLI11's own --version aside.
while IFS= read -r hit; do
    echo "$hit: spell the option as option::<name> (from option_names.hpp)"
    bad=1
done < <(grep -rnE --include=*.cpp --include=*.hpp '"[^"]*--[a-z][a-z0-9-]+' "$root"/shim "$root"/rewrite "$root"/analyzer |
         grep -v "^$names:" |
         awk -F: '{ code = $0; sub(/^[^:]+:[0-9]+:/, "", code); sub(/[[:space:]]*\/\/.*$/, "", code);
                   if (code ~ /"[^"]*--[a-z][a-z0-9-]+/ && code !~ /set_version_flag\("--version"/) print $1 ":" $2 }' |
         sed "s|$root/||")
registrations=$(cat "$root"/shim/options/*.cpp "$root"/shim/main.cpp)
while IFS= read -r constant; do
    if ! grep -qE "(add_option|add_duration|add_flag)\(\s*(app, |[a-z_]+, )?option::$constant\b|^\s*option::$constant,\s*$" <<<"$registrations"; then
        echo "option_names.hpp: option::$constant is registered by no subcommand"
        bad=1
    fi
done < <(grep -oE 'inline constexpr char [a-z0-9_]+\[\]' "$names" | sed -E 's/inline constexpr char ([a-z0-9_]+)\[\]/\1/')
exit $bad
