#!/usr/bin/env bash
# `make demo`: the whole workflow that exists today, on the embedded SQLite default.
# Re-runnable: it starts from an empty ./demo directory each time.
set -euo pipefail

transfert=${TRANSFERT:-.build/release/transfert}
root=${DEMO_DIR:-demo}
source_hosting="$root/source"
target_hosting="$root/target"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -rf "$root"
mkdir -p "$root"

step "Create the source hosting (server A) and the target hosting (server B)"
"$transfert" --hosting "$source_hosting" init --name "serveur-a" --base-url "https://a.example.org/sacoche/" \
  --webmaster-name "Hélène Dupré" --webmaster-email "webmestre@a.example.org" --profile Samples/school-profile.yaml
"$transfert" --hosting "$target_hosting" init --name "serveur-b" --base-url "https://b.example.org/sacoche/" \
  --webmaster-name "Joël Lefèvre" --webmaster-email "webmestre@b.example.org" --profile Samples/school-profile.yaml
"$transfert" --hosting "$target_hosting" zone add "Académie de Besançon"

step "Fill the source with 4 realistic establishments (seed 7)"
"$transfert" --hosting "$source_hosting" sample --structures 4 --students 150 --seed 7

step "Add one more by hand"
"$transfert" --hosting "$source_hosting" structure add --uai 0250010A --denomination "Collège Victor Hugo" \
  --localisation "Besançon" --contact-nom "Lefèvre" --contact-prenom "Agnès" \
  --contact-courriel "agnes.lefevre@ac-besancon.fr" --date 2019-09-02

step "Establishments on the source"
"$transfert" --hosting "$source_hosting" structure list

step "Statistics on the source"
"$transfert" --hosting "$source_hosting" stats --all

step "Export establishments 1, 2, 3 and 5: a CSV manifest and a ZIP of portable dumps"
"$transfert" --hosting "$source_hosting" export --ids 1,2,3,5 --out "$root/exports"
csv=$(ls "$root"/exports/bases_dump_*.csv)
zip=$(ls "$root"/exports/bases_dump_*.zip)
ls -l "$csv" "$zip"

step "The CSV manifest (what the operator edits)"
cat "$csv"

step "What the ZIP holds"
unzip -l "$zip" | head -n 12

cat <<EOT

Done. Look around:
  $source_hosting/transfert.yaml        the configuration (every key commented)
  $source_hosting/registry.sqlite       the registry:  sqlite3 $source_hosting/registry.sqlite 'SELECT * FROM structure'
  $source_hosting/bases/                one SQLite database per establishment
  $source_hosting/files/                uploads per establishment
  $root/exports/                   the two transfer files:  unzip -l $zip
  $target_hosting/                      an empty target server, ready for an import
EOT
