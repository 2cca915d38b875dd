import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// The words of the portal's pages, in the languages users may read (French by default).
struct PortalText: Sendable {
    var language: String
    var welcomeTitle: String
    var askID: String
    var idLabel: String
    var go: String
    var open: String
    var warningTitle: String
    var maintenanceTitle: String
    var lockedTitle: String
    var retryLater: String
    var unknownTitle: String
    var unknownBody: String
    var badRequestTitle: String
    var badRequestBody: String
    var unavailableTitle: String
    var unavailableBody: String
    var place: String
    var uai: String
    var establishment: String
    var movedTitle: String
    var movedLink: String

    static func language(_ code: String) -> PortalText {
        code == "en" ? english : french
    }

    static let french = PortalText(
        language: "fr",
        welcomeTitle: "Accès aux établissements",
        askID:
            "Indiquez le numéro de votre établissement : il figure dans l'adresse d'accès que vous a donnée votre administrateur.",
        idLabel: "Numéro de l'établissement",
        go: "Accéder",
        open: "L'accès à l'établissement est ouvert. Connectez-vous avec vos identifiants habituels.",
        warningTitle: "Maintenance planifiée",
        maintenanceTitle: "Maintenance en cours",
        lockedTitle: "Accès momentanément fermé",
        retryLater: "Merci de réessayer plus tard.",
        unknownTitle: "Établissement inconnu",
        unknownBody:
            "Aucun établissement ne porte ce numéro sur ce serveur. Vérifiez l'adresse d'accès que vous a donnée votre administrateur.",
        badRequestTitle: "Adresse incorrecte",
        badRequestBody: "Le numéro d'établissement doit être un nombre entier positif.",
        unavailableTitle: "Service indisponible",
        unavailableBody: "Le service ne peut pas répondre pour le moment. Merci de réessayer dans quelques minutes.",
        place: "Localisation",
        uai: "UAI",
        establishment: "Établissement",
        movedTitle: "Nouvelle adresse",
        movedLink: "Accéder à l'établissement à sa nouvelle adresse")

    static let english = PortalText(
        language: "en",
        welcomeTitle: "Access to establishments",
        askID: "Enter your establishment's number: it is in the access address your administrator gave you.",
        idLabel: "Establishment number",
        go: "Go",
        open: "Access to the establishment is open. Log in with your usual credentials.",
        warningTitle: "Planned maintenance",
        maintenanceTitle: "Maintenance in progress",
        lockedTitle: "Access closed for the time being",
        retryLater: "Please try again later.",
        unknownTitle: "Unknown establishment",
        unknownBody:
            "No establishment has this number on this server. Check the access address your administrator gave you.",
        badRequestTitle: "Incorrect address",
        badRequestBody: "The establishment number must be a positive whole number.",
        unavailableTitle: "Service unavailable",
        unavailableBody: "The service cannot answer at the moment. Please try again in a few minutes.",
        place: "Place",
        uai: "UAI",
        establishment: "Establishment",
        movedTitle: "New address",
        movedLink: "Go to the establishment's new address")
}
