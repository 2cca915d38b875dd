import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// One `CREATE TABLE` walk, two styles: SACoche's dump text and the DDL MariaDB runs. Each style's exact
/// text is pinned here, so that a change to the shared walk or to one style shows in both.
@Suite struct MySQLCreateTableTests {
    /// Every place the styles differ: a `_general_ci` collation, a nullable column without a default, a
    /// text default, a comment with a line break, a two-column key, no engine and no charset declared.
    static let source = """
        CREATE TABLE sacoche_t (
          id mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
          nom varchar(20) COLLATE utf8_general_ci NOT NULL DEFAULT 'l''a' COMMENT 'deux\\nlignes',
          code char(6) COLLATE utf8_unicode_ci DEFAULT NULL,
          vu timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
          texte text COLLATE utf8_unicode_ci,
          PRIMARY KEY (id),
          UNIQUE KEY nom_code (nom,code),
          FULLTEXT KEY texte (texte)
        ) AUTO_INCREMENT=7 COMMENT='une table'
        """

    func table() throws -> TableSchema {
        var lexer = MySQLLexer(bytes: Array(Self.source.utf8), entry: "test")
        var tokens: [MySQLToken] = []
        while let token = try lexer.next() { tokens.append(token) }
        var cursor = MySQLTokenCursor(tokens: tokens, entry: "test")
        return try MySQLCreateTableParser.parse(&cursor)
    }

    @Test func sacocheDumpStyle() throws {
        let table = try table()
        let mysql = try #require(table.mysql)
        let written = try MySQLCreateTable.render(table, mysql, autoIncrement: 9, style: MySQLDumpText.style)
        #expect(
            written == """
                CREATE TABLE sacoche_t (
                  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
                  nom varchar(20) NOT NULL DEFAULT 'l''a' COMMENT 'deux\\nlignes',
                  code char(6) COLLATE utf8_unicode_ci DEFAULT NULL,
                  vu timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
                  texte text COLLATE utf8_unicode_ci,
                  PRIMARY KEY (id),
                  UNIQUE KEY nom_code (nom,code),
                  FULLTEXT KEY texte (texte)
                ) ENGINE=MyISAM AUTO_INCREMENT=9 DEFAULT CHARSET=utf8 COMMENT='une table'
                """)
        #expect(try MySQLDumpText.createTable(table, autoIncrement: 9, baseID: 1) == written)
    }

    @Test func mariaDBNativeStyle() throws {
        let table = try table()
        let mysql = try #require(table.mysql)
        let written = try MySQLCreateTable.render(
            table, mysql, autoIncrement: mysql.autoIncrement, style: MariaDBNativeDDL.style)
        #expect(
            written == """
                CREATE TABLE `sacoche_t` (
                  `id` mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
                  `nom` varchar(20) CHARACTER SET utf8 COLLATE utf8_general_ci NOT NULL DEFAULT 'l''a' COMMENT 'deux
                lignes',
                  `code` char(6) CHARACTER SET utf8 COLLATE utf8_unicode_ci,
                  `vu` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
                  `texte` text CHARACTER SET utf8 COLLATE utf8_unicode_ci,
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `nom_code` (`nom`, `code`),
                  FULLTEXT KEY `texte` (`texte`)
                ) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COMMENT='une table'
                """)
        #expect(try MariaDBNativeDDL.createTable(table, mysql) == written)
    }

    @Test func anEngineOutsideTheStyleIsRefusedAndEachCallerSaysItsOwnWay() throws {
        var table = try table()
        var mysql = try #require(table.mysql)
        mysql.engine = "MEMORY"
        table.mysql = mysql
        #expect(
            throws: MySQLCreateTableError.engineNotAllowed(
                table: "sacoche_t", engine: "MEMORY", allowed: ["aria", "innodb", "myisam"])
        ) {
            try MySQLCreateTable.render(table, mysql, autoIncrement: nil, style: MariaDBNativeDDL.style)
        }
        #expect(
            throws: SchemaReadError(
                object: "table sacoche_t",
                message: "ENGINE=MEMORY is not one that keeps rows across a restart (aria, innodb, myisam)")
        ) {
            try MariaDBNativeDDL.createTable(table, mysql)
        }
        // SACoche's dumps name any engine MySQL had.
        #expect(
            try MySQLDumpText.createTable(table, autoIncrement: nil, baseID: 1).hasSuffix(
                ") ENGINE=MEMORY DEFAULT CHARSET=utf8 COMMENT='une table'"))
    }

    @Test func aKeyOnAnExpressionOrWithWhereIsRefusedNotWrittenWithoutIt() throws {
        for change in [
            { (index: inout IndexSchema) in index.predicate = "code IS NOT NULL" },
            { (index: inout IndexSchema) in index.terms.append(IndexTerm(expression: "lower(nom)")) },
            { (index: inout IndexSchema) in index.terms[0].collation = "NOCASE" },
        ] {
            var table = try table()
            let mysql = try #require(table.mysql)
            let position = try #require(table.indexes.firstIndex { $0.unique })
            change(&table.indexes[position])
            let name = table.indexes[position].name
            #expect(
                throws: SchemaReadError(
                    object: "index \(name) of table sacoche_t", message: "a MySQL key is on plain columns only")
            ) {
                try MariaDBNativeDDL.createTable(table, mysql)
            }
            #expect(
                throws: SACocheExportError.cannotCarry(
                    baseID: 3, table: "sacoche_t", what: MySQLDumpText.keyNotOnPlainColumns(name))
            ) {
                try MySQLDumpText.createTable(table, autoIncrement: nil, baseID: 3)
            }
        }
    }

    @Test func aDeclarationThatDoesNotListEveryColumnIsRefused() throws {
        var table = try table()
        var mysql = try #require(table.mysql)
        mysql.columns.removeLast()
        table.mysql = mysql
        #expect(
            throws: SchemaReadError(
                object: "table sacoche_t", message: "its MySQL declaration does not list its columns")
        ) {
            try MariaDBNativeDDL.createTable(table, mysql)
        }
        #expect(throws: SACocheExportError.notMySQL(table: "sacoche_t")) {
            try MySQLDumpText.createTable(table, autoIncrement: nil, baseID: 1)
        }
    }
}
