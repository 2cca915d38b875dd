import Foundation
import Mustache
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// The portal's HTML pages: plain, accessible, in the users' language, with no external asset (the style
/// is inline, there is no script). Every value goes through Mustache's HTML escaping: a name or a reason
/// holding `<script>` shows as text.
struct PortalPage: Sendable {
    let text: PortalText
    let application: String

    init(language: String, application: String) {
        text = PortalText.language(language)
        self.application = application
    }

    /// `/` without an id: a form asking for the establishment's number.
    func welcome() -> String {
        render(title: text.welcomeTitle, values: ["form": ["ask": text.askID, "label": text.idLabel, "go": text.go]])
    }

    /// `/?id=N`: the establishment's entry page (open or warned), or the maintenance page (closed).
    func establishment(_ state: AccessState) -> String {
        var establishment: [String: Any] = [
            "name": state.establishment.name, "place": state.establishment.place,
            "placeLabel": text.place, "uaiLabel": text.uai,
        ]
        // Absent values are left out: a section on them then renders nothing.
        if let uai = state.establishment.uai { establishment["uai"] = uai }
        var values: [String: Any] = ["establishment": establishment]
        var notice: [String: Any] = ["message": state.message ?? ""]
        if let note = state.note { notice["note"] = note }
        let title: String
        switch state.state {
        case .open:
            title = state.establishment.name
            values["open"] = text.open
        case .warning:
            title = state.establishment.name
            values["open"] = text.open
            notice["heading"] = text.warningTitle
            values["banner"] = notice
        case .moved:
            title = state.establishment.name
            notice["heading"] = text.movedTitle
            notice["link"] = state.movedTo ?? ""
            notice["linkLabel"] = text.movedLink
            values["moved"] = notice
        case .maintenance, .locked:
            title = state.state == .maintenance ? text.maintenanceTitle : text.lockedTitle
            notice["heading"] = title
            notice["retry"] = text.retryLater
            values["closed"] = notice
        }
        return render(title: title, values: values)
    }

    /// A page for an error users can understand (unknown establishment, bad address, registry away).
    func problem(title: String, body: String) -> String {
        render(title: title, values: ["problem": ["heading": title, "body": body]])
    }

    private func render(title: String, values: [String: Any]) -> String {
        var all = values
        all["lang"] = text.language
        all["title"] = title
        all["application"] = application
        return Self.layout.render(all)
    }

    // Parsed once; the template is a constant the tests render, so a parse failure cannot reach users.
    // swiftlint:disable:next force_try
    private static let layout = try! MustacheTemplate(string: layoutSource)

    private static let layoutSource = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · {{application}}</title>
        <style>
        body { font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; line-height: 1.5; }
        header { background: #1f4e79; color: #fff; padding: 0.8rem 1.5rem; }
        header p { margin: 0; font-size: 1.1rem; }
        main { max-width: 42rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
        h1 { font-size: 1.5rem; margin-top: 0; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
        dt { font-weight: bold; }
        dd { margin: 0; }
        .banner { border-left: 6px solid #b36b00; background: #fff4e0; padding: .8rem 1rem; margin: 1rem 0; }
        .closed { border-left: 6px solid #a4262c; background: #fde7e9; padding: .8rem 1rem; margin: 1rem 0; }
        .banner h2, .closed h2 { font-size: 1.1rem; margin: 0 0 .4rem 0; }
        .note { white-space: pre-line; }
        label { display: block; font-weight: bold; margin-bottom: .3rem; }
        input, button { font-size: 1rem; padding: .4rem .6rem; }
        button { background: #1f4e79; color: #fff; border: 0; border-radius: 4px; }
        :focus-visible { outline: 3px solid #b36b00; outline-offset: 2px; }
        </style>
        </head>
        <body>
        <header><p>{{application}}</p></header>
        <main>
        {{#establishment}}
        <h1>{{name}}</h1>
        <dl>
        <dt>{{placeLabel}}</dt><dd>{{place}}</dd>
        {{#uai}}<dt>{{uaiLabel}}</dt><dd>{{uai}}</dd>{{/uai}}
        </dl>
        {{/establishment}}
        {{#banner}}
        <section class="banner" role="status" aria-labelledby="banner-heading">
        <h2 id="banner-heading">{{heading}}</h2>
        <p>{{message}}</p>
        {{#note}}<p class="note">{{note}}</p>{{/note}}
        </section>
        {{/banner}}
        {{#open}}<p>{{open}}</p>{{/open}}
        {{#closed}}
        <section class="closed" role="alert" aria-labelledby="closed-heading">
        <h2 id="closed-heading">{{heading}}</h2>
        <p>{{message}}</p>
        {{#note}}<p class="note">{{note}}</p>{{/note}}
        <p>{{retry}}</p>
        </section>
        {{/closed}}
        {{#moved}}
        <section class="banner" role="status" aria-labelledby="moved-heading">
        <h2 id="moved-heading">{{heading}}</h2>
        <p>{{message}}</p>
        <p><a href="{{link}}">{{linkLabel}}</a></p>
        </section>
        {{/moved}}
        {{#problem}}
        <h1>{{heading}}</h1>
        <p>{{body}}</p>
        {{/problem}}
        {{#form}}
        <h1>{{title}}</h1>
        <form method="get" action="./">
        <p>{{ask}}</p>
        <label for="id">{{label}}</label>
        <input id="id" name="id" type="text" inputmode="numeric" pattern="[0-9]+" required>
        <button type="submit">{{go}}</button>
        </form>
        {{/form}}
        </main>
        </body>
        </html>
        """
}
