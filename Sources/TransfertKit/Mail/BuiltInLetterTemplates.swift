import TransfertFormats
import TransfertModel
import TransfertStorage

/// The letters Transfert ships, in the spirit of SACoche's: `transfert letters --print-template fr` prints
/// one to copy and edit (see ``LetterTemplate`` for the format and ``LetterVariables`` for the variables).
enum BuiltInLetterTemplates {
    /// Notification letters after a move, by name.
    static let letters: [String: String] = [
        "fr": french, "en": english,
        "maintenance-warning": frenchMaintenanceWarning,
        "maintenance-warning-fr": frenchMaintenanceWarning,
        "maintenance-warning-en": englishMaintenanceWarning,
    ]

    /// Built-in letters that exist in every letter language as `<name>-<language>`: named without a
    /// language, each establishment gets the one of its own language (``LetterWriter/templatesInOwnLanguage(of:)``).
    static let families: Set<String> = ["maintenance-warning"]
    /// Newsletter frames (greeting, `{{message}}`, signature, reminders), by language.
    static let newsletters: [String: String] = ["fr": frenchNewsletter, "en": englishNewsletter]

    static let french = """
        Subject: {{establishment_name}} : nouvelle adresse sur le serveur {{server_name}}
        Language: fr

        {{! Lettre envoyée au contact référent de chaque établissement transféré. Variables : voir le guide. }}
        Bonjour {{contact_first_name}} {{contact_last_name}},

        Vous êtes le contact référent de l'établissement {{establishment_name}}{{#uai}} (UAI {{uai}}){{/uai}}, {{place}}.

        {{#old_server}}
        Votre établissement, jusqu'ici hébergé sur le serveur {{old_server}}, a été transféré{{#moved_on}} le {{moved_on}}{{/moved_on}} sur le serveur {{server_name}}.
        {{/old_server}}
        {{^old_server}}
        Votre établissement est désormais hébergé sur le serveur {{server_name}}.
        {{/old_server}}

        Sa nouvelle adresse d'accès est :

            {{access_url}}

        Elle remplace l'ancienne : mettez à jour vos favoris, les liens de votre ENT et ceux que vous avez donnés aux élèves, aux parents et aux collègues. Sur ce serveur, votre établissement porte le numéro {{new_id}}.

        {{#old_server}}
        Ce qui a été transféré :
          - la base de l'établissement : comptes des personnels, des élèves et des parents, paramétrages, référentiels, évaluations et saisies{{#files_moved}} ;
          - les fichiers déposés (documents, logos, photos).{{/files_moved}}{{^files_moved}}.

        Ce qui n'a pas été transféré :
          - les fichiers déposés (documents, logos, photos) : ils sont à déposer de nouveau.{{/files_moved}}

        {{/old_server}}
        Les identifiants et les mots de passe de tous les utilisateurs sont inchangés.

        Pour toute question, il suffit de répondre à ce message.

        Bien cordialement,

        {{webmaster_name}}
        Webmestre du serveur {{server_name}}
        {{webmaster_email}}
        """

    static let english = """
        Subject: {{establishment_name}}: new address on the server {{server_name}}
        Language: en

        {{! Letter sent to the contact of every moved establishment. Variables: see the user guide. }}
        Dear {{contact_first_name}} {{contact_last_name}},

        You are the contact of {{establishment_name}}{{#uai}} (UAI {{uai}}){{/uai}}, {{place}}.

        {{#old_server}}
        Your establishment, hosted until now on the server {{old_server}}, was moved{{#moved_on}} on {{moved_on}}{{/moved_on}} to the server {{server_name}}.
        {{/old_server}}
        {{^old_server}}
        Your establishment is now hosted on the server {{server_name}}.
        {{/old_server}}

        Its new address is:

            {{access_url}}

        It replaces the old one: please update your bookmarks, your school portal's links and those you gave to students, parents and colleagues. On this server, your establishment's number is {{new_id}}.

        {{#old_server}}
        What was moved:
          - the establishment's database: staff, student and parent accounts, settings, frameworks, assessments and grades{{#files_moved}};
          - the uploaded files (documents, logos, pictures).{{/files_moved}}{{^files_moved}}.

        What was not moved:
          - the uploaded files (documents, logos, pictures): they need uploading again.{{/files_moved}}

        {{/old_server}}
        Every user's login and password are unchanged.

        If you have any question, just reply to this message.

        Kind regards,

        {{webmaster_name}}
        Webmaster of the server {{server_name}}
        {{webmaster_email}}
        """

    static let frenchNewsletter = """
        Subject: {{subject}}
        Language: fr

        Bonjour {{contact_first_name}} {{contact_last_name}},

        {{message}}

        Bien cordialement,

        {{webmaster_name}}
        Webmestre du serveur {{server_name}} – {{webmaster_email}}

        -- {{! "-- " (dash, dash, space) starts the part mail readers show as a signature }}
        Message adressé au contact référent de {{establishment_name}}{{#uai}} (UAI {{uai}}){{/uai}}, {{place}}.
        Adresse d'accès de votre établissement : {{access_url}}
        {{#project_site}}
        Site du projet : {{project_site}}
        {{/project_site}}
        """

    static let englishNewsletter = """
        Subject: {{subject}}
        Language: en

        Dear {{contact_first_name}} {{contact_last_name}},

        {{message}}

        Kind regards,

        {{webmaster_name}}
        Webmaster of the server {{server_name}} – {{webmaster_email}}

        -- {{! "-- " (dash, dash, space) starts the part mail readers show as a signature }}
        Sent to the contact of {{establishment_name}}{{#uai}} (UAI {{uai}}){{/uai}}, {{place}}.
        Your establishment's address: {{access_url}}
        {{#project_site}}
        Project site: {{project_site}}
        {{/project_site}}
        """

    /// Sent days before a window (`letters --template maintenance-warning --ids …`).
    static let frenchMaintenanceWarning = """
        Subject: {{establishment_name}} : {{#maintenance_database}}maintenance{{/maintenance_database}}{{^maintenance_database}}nouvelle version{{/maintenance_database}} du {{maintenance_start_date}} {{maintenance_start_time}} au {{maintenance_end_date}} {{maintenance_end_time}}
        Language: fr

        {{! Prévient le contact d'une fenêtre de maintenance planifiée (transfert maintenance plan). }}
        Bonjour {{contact_first_name}} {{contact_last_name}},

        Vous êtes le contact référent de l'établissement {{establishment_name}}{{#uai}} (UAI {{uai}}){{/uai}}, {{place}}.

        {{maintenance_warning}}

        {{#maintenance_message}}
        {{maintenance_message}}

        {{/maintenance_message}}
        Les utilisateurs encore connectés au début de l'intervention en seront avertis, puis déconnectés : pensez à prévenir vos collègues de ne pas commencer de saisie à ce moment-là. Aucune donnée enregistrée avant l'intervention ne sera perdue.

        Pendant l'intervention, l'adresse habituelle affichera un message de maintenance :

            {{access_url}}

        Pour toute question, il suffit de répondre à ce message.

        Bien cordialement,

        {{webmaster_name}}
        Webmestre du serveur {{server_name}}
        {{webmaster_email}}
        """

    static let englishMaintenanceWarning = """
        Subject: {{establishment_name}}: {{#maintenance_database}}maintenance{{/maintenance_database}}{{^maintenance_database}}new version{{/maintenance_database}} from {{maintenance_start_date}} {{maintenance_start_time}} to {{maintenance_end_date}} {{maintenance_end_time}}
        Language: en

        {{! Warns the contact of a planned maintenance window (transfert maintenance plan). }}
        Dear {{contact_first_name}} {{contact_last_name}},

        You are the contact of {{establishment_name}}{{#uai}} (UAI {{uai}}){{/uai}}, {{place}}.

        {{maintenance_warning}}

        {{#maintenance_message}}
        {{maintenance_message}}

        {{/maintenance_message}}
        Users still connected when it starts will be warned, then logged out: please ask your colleagues not to start entering marks at that time. Nothing saved before it starts will be lost.

        During that time, the usual address shows a maintenance message:

            {{access_url}}

        If you have any question, just reply to this message.

        Kind regards,

        {{webmaster_name}}
        Webmaster of {{server_name}}
        {{webmaster_email}}
        """
}
