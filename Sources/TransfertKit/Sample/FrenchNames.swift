import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Name lists for realistic sample data. Accents, apostrophes, ligatures and compound names are
/// deliberate: they are what breaks naive exports.
enum FrenchNames {
    static let lastNames = [
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Müller", "Faure", "André", "Mercier",
        "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin",
        "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Masson", "Marchand", "Duval",
        "Denis", "Dumont", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud",
        "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martínez", "Gérard", "Roche",
        "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Fabre", "Aubert",
        "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Bourgeois", "Benoît", "Leclerc", "Payet", "Rolland",
        "Guillaume", "Lecomte", "Lopez", "Dupuy", "Hubert", "Berger", "Carpentier", "Moulin", "Deschamps", "Huet",
        "Fleury", "Klein", "Jacquet", "Poirier", "Aubry", "Guyot", "Carré", "Renault", "Ménard", "Maillard",
        "Le Gall", "Léger", "Bouvier", "Prévost", "Da Silva", "Le Roux", "Germain", "Rémy", "Le Goff", "Lévêque",
        "Barré", "Lebrun", "Weber", "Hamon", "Étienne", "Grondin", "Bénard", "Maréchal", "Hoarau", "Barthélemy",
        "D'Almeida", "N'Diaye", "Œuvrard", "Saint-Aubin", "Nguyễn", "Ben Saïd", "Kowalczyk", "Ólafsdóttir",
    ]

    static let firstNames = [
        "Léa", "Chloé", "Zoé", "Inès", "Anaïs", "Maëlle", "Noé", "Jérôme", "Hélène", "Cécile",
        "Agnès", "Benoît", "Clément", "Théo", "Raphaël", "Gaëlle", "Joël", "Loïc", "Aurélie", "Éloïse",
        "Amélie", "Mathéo", "Lou", "Jade", "Emma", "Louise", "Hugo", "Lucas", "Nathan", "Gabriel",
        "Arthur", "Jules", "Adam", "Paul", "Manon", "Camille", "Sarah", "Clara", "Élodie", "François",
        "Stéphane", "Frédéric", "Sébastien", "Grégoire", "Géraldine", "Françoise", "Ophélie", "Maïwenn", "Nolwenn",
        "Yannick",
        "Ségolène", "Anaëlle", "Marie-Thérèse", "Jean-Noël", "Thaïs", "Zoë", "Noémie", "Bérénice", "Cléo", "Timothée",
        "Héloïse", "Gaël", "Rémi", "Médhi", "Aïcha", "Yasmine", "Énora", "Océane", "Mélissa", "Ève",
    ]

    static let towns = [
        "Besançon", "Saint-Étienne", "Orléans", "Nîmes", "Pontoise", "Épinal", "Évreux", "Sète", "Aix-en-Provence",
        "Châlons-en-Champagne", "Saint-Denis (La Réunion)", "Mâcon", "Angoulême", "Béziers", "Cergy", "Fougères",
        "Lons-le-Saunier", "Gérardmer", "Pointe-à-Pitre", "L'Haÿ-les-Roses", "Château-Thierry", "Öhlenberg",
    ]

    /// Establishment names; a few carry `;`, quotes or apostrophes on purpose.
    static let establishments = [
        "Collège Jean Moulin", "Lycée Marie Curie", "École élémentaire Les Tilleuls", "Collège Émile Zola",
        "Lycée professionnel Léonard de Vinci", "Collège Françoise Dolto", "École primaire Jules Ferry",
        "Lycée Hélène Boucher", "Collège Albert Camus", "Lycée d'Arsonval", "Collège Simone Veil",
        "Cité scolaire Saint-Exupéry ; site Nord", "Lycée « Les Îles »", "Collège \"Le Château\"",
        "École Sainte-Thérèse", "Lycée agricole de l'Œuvre", "Collège Aimé Césaire", "Lycée Gustave Eiffel",
    ]

    static let academies = [
        "besancon", "lyon", "orleans-tours", "montpellier", "versailles", "nancy-metz",
        "normandie", "reunion", "aix-marseille", "creteil", "poitiers", "rennes",
    ]

    static let subjects = [
        ("FRA", "Français"), ("MAT", "Mathématiques"), ("HGE", "Histoire-géographie"), ("ANG", "Anglais"),
        ("ESP", "Espagnol"), ("SVT", "Sciences de la vie et de la Terre"), ("PHY", "Physique-chimie"),
        ("TEC", "Technologie"), ("EPS", "Éducation physique et sportive"), ("ART", "Arts plastiques"),
        ("MUS", "Éducation musicale"), ("EMC", "Enseignement moral et civique"),
    ]

    static let levels = ["6e", "5e", "4e", "3e"]
    static let scores = ["A", "VA", "NA", "AB", "DI", "NE"]

    static let reportSentences = [
        "Élève sérieux et appliqué, qui participe volontiers à l'oral.",
        "Des progrès notables ce trimestre ; il faut maintenir l'effort en français.",
        "Résultats encourageants en mathématiques, le travail personnel doit être plus régulier.",
        "Très bon trimestre : félicitations du conseil de classe.",
        "Attention aux oublis de matériel et aux bavardages en classe.",
        "Compétences « maîtriser la langue » en cours d'acquisition ; continuer la lecture quotidienne.",
        "Un investissement remarquable dans les projets d'arts plastiques et de musique.",
        "Travail insuffisant en sciences : l'élève doit reprendre ses leçons régulièrement.",
    ]

    /// Folds a name into the ASCII a login or e-mail local part can hold (`Léa Œuvrard` → `lea.oeuvrard`).
    static func asciiFold(_ text: String) -> String {
        let folded = text.lowercased()
            .replacingOccurrences(of: "œ", with: "oe")
            .replacingOccurrences(of: "æ", with: "ae")
            .folding(options: [.diacriticInsensitive], locale: nil)
        return String(
            folded.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
                .map(Character.init))
    }
}
