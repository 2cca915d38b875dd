import Foundation

/// The bash script that runs documentation blocks in order in one shell — as an operator pasting them
/// one after the other into one terminal, so variables and `export`s carry — and the map from its lines
/// back to the markdown's.
///
/// Each block's text is the markdown's, with two visible changes, both announced in the script's output:
/// `/srv` and `/tmp`, and paths below them, live in the test's directory (a test must not write outside it), and
/// what a block's markers say (a throwaway server's address in place of the example's).
struct DocumentationScript {
    /// Where a failure happened, in markdown terms.
    struct Place {
        var block: DocumentationBlock
        var line: Int
        var description: String { "\(block.file):\(line) (the block from line \(block.line))" }
    }

    let text: String
    /// The blocks run, with the script line their code starts on.
    private let starts: [(scriptLine: Int, block: DocumentationBlock)]

    /// - Parameters:
    ///   - blocks: the blocks to run (skipped ones are left out by the caller, which reports them).
    ///   - root: the test's directory, where `/srv` and `/tmp` are mapped.
    ///   - rewrite: a block's lines after its markers are applied.
    init(blocks: [DocumentationBlock], root: String, rewrite: (DocumentationBlock) throws -> [String]) throws {
        var lines = Self.preamble.components(separatedBy: "\n")
        lines.append("printf 'doc-test: /srv and /tmp in the examples are %s/srv and %s/tmp\\n' '\(root)' '\(root)'")
        lines.append(
            "printf 'doc-test: EDITOR is %s: a file the examples open in an editor is left as it is\\n' \"$EDITOR\"")
        var starts: [(Int, DocumentationBlock)] = []
        for block in blocks {
            lines.append("")
            lines.append("doc_test_block '\(block.place)'")
            starts.append((lines.count + 1, block))
            lines += try rewrite(block).map { Self.mappingPaths($0, root: root) }
        }
        lines.append("")
        lines.append("doc_test_silent_failures")
        lines.append("printf '\\ndoc-test: every block ran\\n'")
        text = lines.joined(separator: "\n") + "\n"
        self.starts = starts
    }

    /// The markdown place of a line of this script (1-based, as bash's `LINENO`).
    func place(ofScriptLine line: Int) -> Place? {
        guard let start = starts.last(where: { $0.scriptLine <= line }) else { return nil }
        return Place(block: start.block, line: start.block.line + line - start.scriptLine)
    }

    /// `/srv`, `/tmp` and the paths below them (not inside a longer path or a URL) become `<root>/srv…`,
    /// `<root>/tmp…`.
    static func mappingPaths(_ line: String, root: String) -> String {
        let expression = try! NSRegularExpression(pattern: #"(?<![\w.$/:-])/(srv|tmp)(?![\w.-])"#)
        let range = NSRange(line.startIndex..., in: line)
        return expression.stringByReplacingMatches(
            in: line, range: range, withTemplate: NSRegularExpression.escapedTemplate(for: root) + "/$1")
    }

    /// Strict mode, the failure report, and the one command an operator would not let run in a test:
    /// `transfert serve` and `transfert console` (they serve until stopped) run in the background, answer
    /// `/health`, and are stopped. The `transfert` function passes everything else to the binary unchanged.
    static let preamble = #"""
        # The documentation test's shell (Tests/TransfertEndToEndTests/Documentation).
        set -Eeuo pipefail
        shopt -s inherit_errexit
        doc_test_failed() {
          local command=$3
          # A failed `transfert` returns from its function: name the command, not the `return`.
          [[ $command == "return "* ]] && command=${DOC_TEST_FAILED_COMMAND:-$command}
          printf '\ndoc-test: FAILED (exit %s): %s\ndoc-test-failure-line %s\n' "$1" "$command" "$2"
        }
        trap 'doc_test_failed $? $LINENO "$BASH_COMMAND"' ERR
        doc_test_block() { printf '\ndoc-test: ── %s\n' "$1"; }

        # `transfert serve` serves until it is stopped: here it runs in the background on a free port
        # (--port 0 in place of the example's), its /health is asked, and it is stopped with SIGTERM.
        transfert() {
          local word skip=0
          for word in "$@"; do
            if [ "$skip" = 1 ]; then skip=0; continue; fi
            case "$word" in
              --hosting) skip=1 ;;
              -*) ;;
              serve) doc_test_serve "$@" || { local status=$?; doc_test_record_failure $status "$*"; return $status; }; return 0 ;;
              # `transfert console` serves too (its accounts, `console user …`, run as they are).
              console) case " $* " in
                  *" user "*) break ;;
                  *) doc_test_serve "$@" || { local status=$?; doc_test_record_failure $status "$*"; return $status; }; return 0 ;;
                esac ;;
              *) break ;;
            esac
          done
          command transfert "$@" || { local status=$?; doc_test_record_failure $status "$*"; return $status; }
        }
        # `a && b`, `a || b` and conditions keep `set -e` from stopping on a failed `a`: every failed
        # transfert is recorded, and one that did not stop the run fails it at the end all the same.
        doc_test_record_failure() {
          DOC_TEST_FAILED_COMMAND="transfert $2"
          printf '%s %s %s\n' "${BASH_LINENO[1]}" "$1" "transfert $2" >> "$DOC_TEST_ROOT/failed-transfert-commands"
        }
        doc_test_silent_failures() {
          [ -s "$DOC_TEST_ROOT/failed-transfert-commands" ] || return 0
          local line status command
          while read -r line status command; do
            printf '\ndoc-test: FAILED (exit %s) without stopping the run (after && or ||, or in a condition): %s\n' "$status" "$command"
            printf 'doc-test-failure-line %s\n' "$line"
          done < "$DOC_TEST_ROOT/failed-transfert-commands"
          exit 1
        }
        doc_test_serve() {
          local arguments=() previous="" word
          for word in "$@"; do
            if [ "$previous" = --port ]; then word=0; fi
            arguments+=("$word"); previous=$word
          done
          local log url="" pid
          log=$(mktemp "$DOC_TEST_ROOT/serve.XXXXXX")
          command transfert "${arguments[@]}" > "$log" 2>&1 < /dev/null &
          pid=$!
          local tries=600                     # 30 s for the address: a server that never prints it must not hang the test
          while kill -0 "$pid" 2> /dev/null && [ $((tries -= 1)) -gt 0 ]; do
            url=$(grep -o 'http://[^ ]*' "$log" || true)
            [ -n "$url" ] && break
            sleep 0.05
          done
          if [ -z "$url" ]; then
            kill -TERM "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true
            printf 'doc-test: `transfert %s` did not serve:\n' "$*"; cat "$log"; return 1
          fi
          printf 'doc-test: `transfert %s` runs in the background (%s); GET /health answers:\n' "$*" "$url"
          curl -sS --fail-with-body "${url}health" || { kill -TERM "$pid"; wait "$pid" || true; return 1; }
          echo
          kill -TERM "$pid"
          wait "$pid" || { printf 'doc-test: the portal did not stop cleanly:\n'; cat "$log"; return 1; }
          printf 'doc-test: the portal stopped on SIGTERM\n'
        }
        """#
}
