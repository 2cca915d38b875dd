#!/usr/bin/env bash
# `make demo`: the whole workflow that exists today, on the embedded SQLite default
# (`BACKEND=mariadb make demo`: on a throwaway MariaDB server; `BACKEND=postgres make demo`: on a throwaway
# PostgreSQL cluster).
# Re-runnable: it starts from an empty ./demo directory each time.
set -euo pipefail

transfert=${TRANSFERT:-.build/release/transfert}
root=${DEMO_DIR:-demo}
source_hosting="$root/source"
target_hosting="$root/target"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# What the demo started in the background, stopped however it ends.
cleanups=(true)
trap 'for c in "${cleanups[@]}"; do eval "$c"; done' EXIT

# Checked before anything is removed or started.
backend=${BACKEND:-sqlite}
case "$backend" in
  sqlite | mariadb | postgres) ;;
  *) echo "BACKEND is '$backend': expected sqlite (the default), mariadb or postgres" >&2; exit 2 ;;
esac

rm -rf "$root"
mkdir -p "$root"

# BACKEND=mariadb make demo: both hostings on a throwaway MariaDB server started here, on loopback, in a
# temporary directory, and stopped when the demo ends (however it ends).
source_backend=() target_backend=() sacoche_backend=()
if [ "$backend" = mariadb ]; then
  server_dir=$(mktemp -d "${TMPDIR:-/tmp}/transfert-demo-mariadb.XXXXXX")
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  step "Start a throwaway MariaDB server on 127.0.0.1:$port"
  PATH="$PATH:/usr/sbin" mariadb-install-db --no-defaults --datadir="$server_dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db > "$server_dir/install.log" 2>&1 \
    || { echo "mariadb-install-db failed: $(tail -5 "$server_dir/install.log")" >&2; exit 1; }
  PATH="$PATH:/usr/sbin" mariadbd --no-defaults --datadir="$server_dir/data" --socket="$server_dir/mysqld.sock" --port="$port" \
    --bind-address=127.0.0.1 --user="$(id -un)" --log-error="$server_dir/server.log" --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_bin > /dev/null 2>&1 &
  server_pid=$!
  cleanups+=('kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$server_dir"')
  for _ in $(seq 1 100); do [ -S "$server_dir/mysqld.sock" ] && break; sleep 0.1; done
  [ -S "$server_dir/mysqld.sock" ] || { echo "mariadbd did not start: $(tail -5 "$server_dir/server.log")" >&2; exit 1; }
  # The operator's account, with a password kept in an owner-only file (never on a command line).
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  (umask 077; printf '%s\n' "$password" > "$root/db-password")
  mariadb --no-defaults --socket="$server_dir/mysqld.sock" -uroot \
    -e "CREATE USER 'transfert'@'%' IDENTIFIED BY '$password'; GRANT ALL PRIVILEGES ON *.* TO 'transfert'@'%' WITH GRANT OPTION;"
  source_backend=(--backend mariadb --database-url "mysql://transfert@127.0.0.1:$port/demo_registry_a" --password-file "$root/db-password" --database-prefix demo_a_)
  target_backend=(--backend mariadb --database-url "mysql://transfert@127.0.0.1:$port/demo_registry_b" --password-file "$root/db-password" --database-prefix demo_b_)
  sacoche_backend=(--backend mariadb --database-url "mysql://transfert@127.0.0.1:$port/demo_registry_s" --password-file "$root/db-password" --database-prefix demo_s_)
fi
# BACKEND=postgres make demo: both hostings on a throwaway PostgreSQL cluster (initdb + postgres on loopback, in a
# temporary directory; Tests/Tools/throwaway_postgres.sh), stopped and removed when the demo ends (however it ends).
throwaway_postgres="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/Tests/Tools/throwaway_postgres.sh"
if [ "$backend" = postgres ]; then
  step "Start a throwaway PostgreSQL cluster on loopback"
  pg_env=$("$throwaway_postgres" start)
  eval "$pg_env"
  cleanups+=('"$throwaway_postgres" stop "$PG_DIR"')
  echo "PostgreSQL on 127.0.0.1:$PG_PORT, data in $PG_DIR"
  # The operator's role has exactly the privileges the guide asks for (CREATEDB, CREATEROLE), not a superuser's;
  # its password is kept in an owner-only file (never on a command line).
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  (umask 077; printf '%s\n' "$password" > "$root/db-password")
  "$throwaway_postgres" psql "$PG_DIR" -c "CREATE ROLE transfert LOGIN CREATEDB CREATEROLE PASSWORD '$password'"
  url="postgres://transfert@127.0.0.1:$PG_PORT"
  source_backend=(--backend postgres --database-url "$url/demo_registry_a" --password-file "$root/db-password" --database-prefix demo_a_)
  target_backend=(--backend postgres --database-url "$url/demo_registry_b" --password-file "$root/db-password" --database-prefix demo_b_)
  sacoche_backend=(--backend postgres --database-url "$url/demo_registry_s" --password-file "$root/db-password" --database-prefix demo_s_)
fi
sacoche_hosting="$root/sacoche"

step "Create the source hosting (server A) and the target hosting (server B)"
"$transfert" --hosting "$source_hosting" init --name "serveur-a" --base-url "https://a.example.org/sacoche/" \
  --webmaster-name "Hélène Dupré" --webmaster-email "webmestre@a.sacoche-hosting.fr" --profile Samples/school-profile.yaml ${source_backend[@]+"${source_backend[@]}"}
"$transfert" --hosting "$target_hosting" init --name "serveur-b" --base-url "https://b.example.org/sacoche/" \
  --webmaster-name "Joël Lefèvre" --webmaster-email "webmestre@b.sacoche-hosting.fr" --profile Samples/school-profile.yaml ${target_backend[@]+"${target_backend[@]}"}
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

step "Plan a maintenance window for the move (times in the hosting's zone, Europe/Paris by default)"
day=$(date -d "+2 days" +%Y-%m-%d)
"$transfert" --hosting "$source_hosting" maintenance plan --ids 1,2,3,5 --start "$day 13:00" --end "$day 13:45" \
  --type database --message "Votre établissement change de serveur : vous recevrez sa nouvelle adresse par courriel."

step "What a user of establishment 1 sees before the window, and during it"
"$transfert" --hosting "$source_hosting" maintenance preview --id 1
"$transfert" --hosting "$source_hosting" maintenance preview --id 1 --at "$day 13:10"

step "Warn the contacts days ahead: one letter each, in the outbox"
"$transfert" --hosting "$source_hosting" letters --template maintenance-warning --ids 1,2,3,5

step "The portal users open (transfert serve), read over HTTP: the entry page carries the warning"
portal_log="$root/portal.log"
# Starts `transfert serve` on a free port and sets $portal to its address. A busy machine may take a few
# seconds: wait up to a minute for the line it prints, and say why if it never comes.
start_portal() {
  "$transfert" --hosting "$source_hosting" serve --port 0 > "$portal_log" 2>&1 &
  portal_pid=$!
  cleanups+=('kill -TERM "$portal_pid" 2>/dev/null || true; wait "$portal_pid" 2>/dev/null || true')
  for _ in $(seq 600); do
    grep -q "Serving" "$portal_log" 2>/dev/null && break
    kill -0 "$portal_pid" 2>/dev/null || break
    sleep 0.1
  done
  portal=$(grep -o 'http://[^ ]*' "$portal_log") \
    || { echo "transfert serve did not start: $(cat "$portal_log")" >&2; exit 1; }
}
start_portal
show_page() { # status line, then the page's visible text
  curl -s -o "$root/page.html" -w "HTTP %{http_code}\n" "$portal?id=$1"
  python3 -c 'import html,re,sys; t=open(sys.argv[1],encoding="utf-8").read(); t=re.sub(r"(?s)<(style|head)[^>]*>.*?</\1>","",t); print("\n".join(l.strip() for l in html.unescape(re.sub(r"<[^>]+>","\n",t)).splitlines() if l.strip()))' "$root/page.html"
}
show_page 1

step "The window starts now (maintenance edit): the same page answers 503, with Retry-After"
"$transfert" --hosting "$source_hosting" maintenance edit 1 --start now --duration 30m
show_page 1
curl -s "$portal/status?id=1" | python3 -m json.tool --no-ensure-ascii
kill -TERM "$portal_pid"; wait "$portal_pid"

step "Export establishments 1, 2, 3 and 5, kept locked for the move: a CSV manifest and a ZIP of portable dumps"
"$transfert" --hosting "$source_hosting" export --ids 1,2,3,5 --keep-locked --out "$root/exports" --note "Transfert vers serveur-b"
csv=$(ls "$root"/exports/bases_dump_*.csv)
zip=$(ls "$root"/exports/bases_dump_*.zip)
ls -l "$csv" "$zip"

step "The CSV manifest (what the operator edits)"
cat "$csv"

step "What the ZIP holds"
unzip -l "$zip" | sed -n 1,12p   # sed reads it all: no SIGPIPE under pipefail

step "Inspect the bundle before anything is restored (source server, options, tables)"
"$transfert" --hosting "$source_hosting" inspect "$csv" "$zip"

step "Verify both files, deeply and against the live source, before deleting anything"
"$transfert" --hosting "$source_hosting" verify --deep --against-source "$csv" "$zip"

step "Edit the CSV as an operator would: drop establishment 3, ask for id 20 for establishment 5"
edited="$root/exports/edited.csv"
python3 - "$csv" "$edited" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f, delimiter=';'))
header, body = rows[0], rows[1:]
body = [r for r in body if r[0] != '3']
for r in body:
    if r[0] == '5':
        r[1] = '20'
# Saved the way a French spreadsheet saves it: Windows-1252, ';'.
with open(sys.argv[2], 'w', newline='', encoding='cp1252') as f:
    csv.writer(f, delimiter=';', lineterminator='\r\n').writerows([header] + body)
PY
cp "$zip" "$root/exports/edited.zip"
echo "Wrote $edited (Windows-1252, 3 rows)"

step "Dry run on the target: every row validated, the id each will get"
"$transfert" --hosting "$target_hosting" import --dry-run "$edited" "$root/exports/edited.zip"

step "Import into the target"
"$transfert" --hosting "$target_hosting" import "$edited" "$root/exports/edited.zip"

step "Letters to each contact: written to the target's outbox/, nothing sent yet"
"$transfert" --hosting "$target_hosting" letters --result "$root/exports/edited.result.csv"

step "One of them, decoded (transfert outbox show 1 --raw prints the .eml as it will be sent)"
"$transfert" --hosting "$target_hosting" outbox show 1
echo "(With an smtp: section in $target_hosting/transfert.yaml, \`transfert outbox send\` delivers them.)"

step "The target now hosts them, with their journal"
"$transfert" --hosting "$target_hosting" structure list
"$transfert" --hosting "$target_hosting" journal

step "The target's signed receipt (written by its import, next to the result): who, which bundle, old and new ids, digests"
receipt="$root/exports/edited.receipt.json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({"target": r["target"], "bundle": r["bundle"], "establishments": [{k: e[k] for k in ("old_id", "new_id", "access_url", "denomination")} for e in r["establishments"]]}, indent=2, ensure_ascii=False))' "$receipt"
"$transfert" --hosting "$target_hosting" info

step "Back on the source: confirm the move with the receipt (signature, bundle, digests, nothing changed since)"
"$transfert" --hosting "$source_hosting" confirm "$receipt" --expect-key "$("$transfert" --hosting "$target_hosting" info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["receipt_public_key"])')"
"$transfert" --hosting "$source_hosting" lock release --yes --ids 3   # 3 was dropped from the CSV: its move is called off

step "The old address now sends users to the new one (HTTP 301 from the source's portal)"
start_portal
curl -s -o /dev/null -w "GET /?id=1 → HTTP %{http_code}, Location: %{redirect_url}\n" "$portal?id=1"
curl -s -o /dev/null -w "GET /?id=5 → HTTP %{http_code}, Location: %{redirect_url}\n" "$portal?id=5"
kill -TERM "$portal_pid"; wait "$portal_pid"

step "Remove the moved establishments from the source: the receipt proved them, no bundle needed"
"$transfert" --hosting "$source_hosting" structure remove --yes --ids 1,2,5

step "A bundle in SACoche's own format (as its transfer module writes it): verified without a hosting, before anything is deleted"
sacoche_bundle=Tests/Fixtures/sacoche/three-schools/bases_dump_2017-10-02_14-05-37_1942955373
mkdir -p "$root/sacoche-export"
cp "$sacoche_bundle.csv" "$sacoche_bundle.zip" "$root/sacoche-export/"
sacoche_bundle="$root/sacoche-export/$(basename "$sacoche_bundle")"
"$transfert" inspect "$sacoche_bundle.zip" | sed -n 1,9p
"$transfert" verify --digests "$sacoche_bundle.digests.json" "$sacoche_bundle.csv" "$sacoche_bundle.zip" | grep -v -e '^  sacoche_' -e 'content digests' | cat -s

step "Imported into a hosting with SACoche's own profile (the dumps' MySQL tables, rows and accents intact)"
"$transfert" --hosting "$sacoche_hosting" init --name "serveur-sacoche" --base-url "https://sacoche.example.org/" \
  --webmaster-name "Joël Lefèvre" --webmaster-email "webmestre@sacoche.sacoche-hosting.fr" --profile Samples/sacoche-profile.yaml ${sacoche_backend[@]+"${sacoche_backend[@]}"} > /dev/null
"$transfert" --hosting "$sacoche_hosting" import --check-digests "$sacoche_bundle.digests.json" "$sacoche_bundle.csv" "$sacoche_bundle.zip"
"$transfert" --hosting "$sacoche_hosting" stats --all

step "And written back in SACoche's format, for a SACoche installation to import"
"$transfert" --hosting "$sacoche_hosting" export --format sacoche --ids 1,2,3 --out "$root/sacoche-export/back"

step "The move ends here: establishment 5 lives on serveur-b, confirmed; its history on both servers (one GUID, two ids)"
"$transfert" --hosting "$source_hosting" history --id 5
"$transfert" --hosting "$target_hosting" history --id 20

step "Nightly backups on serveur-b: each open establishment changed since its last good backup, verified, kept 2"
"$transfert" --hosting "$target_hosting" backup run
"$transfert" --hosting "$target_hosting" backup list

step "The next night: nothing changed since, nothing to back up (a cheap check per establishment)"
"$transfert" --hosting "$target_hosting" backup run

step "An anonymised copy for a trainer, in the private area: names, e-mails and logins become pseudonyms"
"$transfert" --hosting "$target_hosting" backup create --ids 1 --anonymise

step "Before restoring a backup, inspect it: what it is, where it comes from, what it holds per category"
latest=$(ls -t "$target_hosting"/backups/automatic/sauvegarde-*-structure-1-*.zip | head -n 1)
"$transfert" --hosting "$target_hosting" inspect "$latest"

step "Restore establishment 1 in place from that backup: a safety backup first; id, URL, GUID and contact kept; the staff's checks"
"$transfert" --hosting "$target_hosting" restore "${latest%.zip}.csv" "$latest" --into 1 --replace --yes
"$transfert" --hosting "$target_hosting" backup list --id 1

step "The webmaster's console: the same workflows in a browser (not started here; on each hosting, in a terminal)"
cat <<EOT
  "$transfert" --hosting $source_hosting console user add marie      # asks a password twice (or --password-file FILE)
  "$transfert" --hosting $source_hosting console --port 8443         # SIGTERM or Ctrl-C stops it
then open http://localhost:8443/ and sign in as marie. The target's console on another port:
  "$transfert" --hosting $target_hosting console user add marie
  "$transfert" --hosting $target_hosting console --port 8444         # then open http://127.0.0.1:8444/
(another host name for the second one: a browser shares a host's cookies between its ports)
Behind a reverse proxy with HTTPS, or with console.tls_certificate and tls_key in transfert.yaml (guide).
EOT

if [ "$backend" = mariadb ]; then
  step "What the MariaDB server holds (checked with the mariadb client)"
  mariadb --no-defaults --socket="$server_dir/mysqld.sock" -uroot -e "SHOW DATABASES LIKE 'demo\_%'"
  mariadb --no-defaults --socket="$server_dir/mysqld.sock" -uroot -e \
    "SELECT base_id, denomination FROM demo_registry_b.structure; SELECT COUNT(*) AS grades_of_establishment_1 FROM demo_b_base_1.grades"
  cat <<EOT

Done, on MariaDB (the server stops now; run it again to look around):
  $source_hosting/transfert.yaml        the configuration: backend mariadb, the URL, where the password comes from
  $target_hosting/credentials/          each establishment's database account, owner-only, for the application
  $root/exports/                   the transfer files and the import result (edited.result.csv, .json)
EOT
elif [ "$backend" = postgres ]; then
  step "What the PostgreSQL cluster holds (checked with psql)"
  "$throwaway_postgres" psql "$PG_DIR" -c "SELECT datname AS database, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname LIKE 'demo\_%' ORDER BY 1"
  "$throwaway_postgres" psql "$PG_DIR" -d demo_registry_b -c "SELECT base_id, denomination FROM structure ORDER BY base_id"
  "$throwaway_postgres" psql "$PG_DIR" -d demo_b_base_1 -c "SELECT COUNT(*) AS grades_of_establishment_1 FROM grades"
  cat <<EOT

Done, on PostgreSQL (the cluster stops now and its directory goes; run it again to look around):
  $source_hosting/transfert.yaml        the configuration: backend postgres, the URL, where the password comes from
  $target_hosting/credentials/          each establishment's role and password, owner-only, for the application
  $root/exports/                   the transfer files and the import result (edited.result.csv, .json)
EOT
else
  cat <<EOT

Done. Look around:
  $source_hosting/transfert.yaml        the configuration (every key commented)
  $source_hosting/registry.sqlite       the registry:  sqlite3 $source_hosting/registry.sqlite 'SELECT * FROM structure'
  $target_hosting/bases/                one SQLite database per establishment
  $target_hosting/files/                uploads per establishment
  $target_hosting/backups/              nightly, manual and private (anonymised) backups:  transfert --hosting $target_hosting backup list
  $root/exports/                   the transfer files and the import result (edited.result.csv, .json)
  $target_hosting/outbox/               the letters, one .eml per contact:  transfert --hosting $target_hosting outbox list
  $source_hosting/outbox/               the maintenance warnings; the portal:  transfert --hosting $source_hosting serve
  $sacoche_hosting/bases/              the SACoche bases:  sqlite3 $sacoche_hosting/bases/base_1.sqlite .schema
  $root/sacoche-export/back/        the bundle written in SACoche's format
EOT
fi
