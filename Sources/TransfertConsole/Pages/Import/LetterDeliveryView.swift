/// A finished letters job's page (`letters --send`): one row per recipient, sent or failed with the
/// relay's reply, or not reached. A refusal before any letter left (no relay, a placeholder sender) is the
/// command's own sentence, shown above by the jobs page; the letters then stay in the outbox.
enum LetterDeliveryView {
    static let present: JobResultPresenters.Presenter = { _, result, _, context in
        render(result: result, language: context.language)
    }

    static func render(result: CommandResult, language: ConsoleLanguage) -> HTML {
        guard let delivery = result.decoded(as: DeliveryJSON.self) else {
            return JobResultPresenters.plain(result, language: language)
        }
        let rows: [(DeliveryJSON.Letter, String)] =
            delivery.sent.map { ($0, "sent") } + delivery.failed.map { ($0, "failed") }
            + (delivery.notSent ?? []).map { ($0, "not_sent") }
        guard !rows.isEmpty else {
            return Components.notice(language.text("Aucune lettre n’a été envoyée.", "No letter was sent."))
        }
        let label = { (state: String) -> String in
            switch state {
            case "sent": return language.text("envoyée", "sent")
            case "failed": return language.text("refusée", "failed")
            default: return language.text("non tentée", "not tried")
            }
        }
        return Components.table(
            caption: language.text("Envoi des lettres", "Delivery of the letters")
                + (delivery.relay.map { " (\($0))" } ?? ""),
            headers: [
                language.text("Établissement", "Establishment"), language.text("Destinataire", "Recipient"),
                language.text("Objet", "Subject"), language.text("État", "State"),
                language.text("Réponse du relais", "Relay's reply"),
            ],
            rows: rows.map { letter, state in
                [
                    "\(letter.baseID.map(String.init) ?? "—")", "\(letter.recipient)", "\(letter.subject)",
                    "<span data-state=\"\(state)\">\(label(state))</span>", "\(letter.lastReply ?? "")",
                ]
            }, id: "letters-result")
    }
}
