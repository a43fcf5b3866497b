using CrmWorkspace.Domain;
using CrmWorkspace.Features.Duplicates.Matching;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Data;

/// <summary>
/// Finds names containing a fragment without scanning tables: FTS5 trigrams for 3+ characters, a character-bigram
/// table for 2 (most Chinese person names and many short company names), the name index for 1.
/// SQLite-specific SQL lives here only (the tables and triggers come from the SearchIndex migration).
/// On PostgreSQL: pg_trgm GIN indexes (ILIKE) for 3+ characters, the same bigram table kept by plpgsql triggers for 2.
/// </summary>
public static class SearchIndex
{
    /// <summary>Kinds in the NameGrams table.</summary>
    public const int AccountKind = 0, ContactKind = 1;

    public static async Task<List<int>> AccountIdsAsync(CrmDbContext db, string term, int limit, CancellationToken ct) =>
        await IdsAsync(db, term, limit, "AccountNameFts", AccountKind, ct)
        ?? await db.Accounts.Where(a => a.Name.Contains(term) || (a.ShortName != null && a.ShortName.Contains(term))).Select(a => a.Id).Take(limit).ToListAsync(ct);

    public static async Task<List<int>> ContactIdsAsync(CrmDbContext db, string term, int limit, CancellationToken ct) =>
        await IdsAsync(db, term, limit, "ContactNameFts", ContactKind, ct)
        ?? await db.Contacts.Where(c => c.Name.Contains(term)).Select(c => c.Id).Take(limit).ToListAsync(ct);

    private static async Task<List<int>?> IdsAsync(CrmDbContext db, string term, int limit, string fts, int kind, CancellationToken ct)
    {
        var pg = db.Database.IsNpgsql();
        if (!db.Database.IsSqlite() && !pg) return null;
        var length = new System.Globalization.StringInfo(term).LengthInTextElements;
        // Names are indexed as typed: a term is looked up in every traditional/simplified spelling (泸州 also finds 瀘州).
        var spellings = ChineseScript.Spellings(term);
        if (length >= 3 && pg)
        {
            // One match per column and spelling: each is served by a pg_trgm GIN index (a BitmapOr), which an ANY(array) is not.
            var cols = kind == AccountKind ? new[] { "\"Name\"", "\"ShortName\"" } : ["\"Name\""];
            var table = kind == AccountKind ? "\"Accounts\"" : "\"Contacts\"";
            var args = spellings.Select(t => (object)("%" + t.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%")).Append(limit).ToArray();
            // A term without upper and lower case (Chinese, digits) matches the same names with LIKE as with ILIKE, and LIKE compares bytes
            // where ILIKE folds the case of every name it reads: 4 ms against 37 ms for a common place name (乌鲁木齐, 6,800 names read).
            var op = spellings.All(t => t == t.ToLowerInvariant() && t == t.ToUpperInvariant()) ? "LIKE" : "ILIKE";
            var where = string.Join(" OR ", spellings.SelectMany((_, i) => cols.Select(c => $"{c} {op} {{{i}}}")));
#pragma warning disable EF1002
            return await db.Database.SqlQueryRaw<int>($"SELECT \"Id\" AS \"Value\" FROM {table} WHERE {where} LIMIT {{{spellings.Count}}}", args).ToListAsync(ct);
#pragma warning restore EF1002
        }
        if (length >= 3)
        {
            var match = string.Join(" OR ", spellings.Select(t => "\"" + t.Replace("\"", "\"\"") + "\""));
            // The table name is one of two constants; the search text and limit are parameters.
#pragma warning disable EF1002
            return await db.Database.SqlQueryRaw<int>($"SELECT rowid AS Value FROM {fts} WHERE {fts} MATCH {{0}} LIMIT {{1}}", match, limit).ToListAsync(ct);
#pragma warning restore EF1002
        }
        if (length == 2)
        {
            // Spellings are parameters; only their count shapes the SQL. Each spelling reads at most `limit` rows of the primary key in id
            // order (a DISTINCT over "Gram IN (…)" made PostgreSQL walk a whole kind's index for a gram with two spellings: seconds).
            var args = spellings.Cast<object>().Append(kind).Append(limit).ToArray();
            string One(int i) => $"SELECT \"EntityId\" FROM (SELECT \"EntityId\" FROM \"NameGrams\" WHERE \"Gram\" = {{{i}}} AND \"Kind\" = {{{spellings.Count}}} ORDER BY \"EntityId\" LIMIT {{{spellings.Count + 1}}}) AS s{i}";
            var sql = spellings.Count == 1
                ? $"SELECT \"EntityId\" AS \"Value\" FROM ({One(0)}) AS u"
                : $"SELECT \"EntityId\" AS \"Value\" FROM ({string.Join(" UNION ", spellings.Select((_, i) => One(i)))}) AS u ORDER BY \"EntityId\" LIMIT {{{spellings.Count + 1}}}";
#pragma warning disable EF1002
            return await db.Database.SqlQueryRaw<int>(sql, args).ToListAsync(ct);
#pragma warning restore EF1002
        }
        return null;
    }

    /// <summary>
    /// Counts, per record, how many of these bigrams its name shares (each bigram capped at <paramref name="perGram"/> records, so a
    /// common one cannot flood: the lowest ids, the same on either provider); one statement, all indexed, on either provider.
    /// </summary>
    public static async Task GramHitsAsync(CrmDbContext db, int kind, IReadOnlyList<IReadOnlyList<string>> spellings, int perGram, Dictionary<int, int> hits, CancellationToken ct)
    {
        if (spellings.Count == 0 || !(db.Database.IsSqlite() || db.Database.IsNpgsql())) return;
        var conn = db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var cmd = conn.CreateCommand();
        if (db.Database.CurrentTransaction is { } tx) cmd.Transaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(tx);
        // Each spelling reads at most perGram rows of the primary key (Gram, Kind, EntityId), in id order, and stops. One DISTINCT over
        // "Gram IN (spellings)" cannot stop early on PostgreSQL: it read every row of a common bigram (200k for a company-name one)
        // into a hash before the LIMIT, and which ids it kept was the hash's order (docs/performance.md, "Several servers").
        string Spelling(int i, int j) =>
            $"SELECT \"EntityId\" FROM (SELECT \"EntityId\" FROM \"NameGrams\" WHERE \"Gram\" = @g{i}_{j} AND \"Kind\" = @k ORDER BY \"EntityId\" LIMIT {perGram}) AS s{i}_{j}";
        string Gram(int i) => spellings[i].Count == 1
            ? Spelling(i, 0)
            // The perGram lowest ids of the union are among the perGram lowest of each spelling.
            : $"SELECT * FROM (SELECT \"EntityId\" FROM ({string.Join(" UNION ", spellings[i].Select((_, j) => Spelling(i, j)))}) AS u{i} ORDER BY \"EntityId\" LIMIT {perGram}) AS t{i}";
        cmd.CommandText = string.Join(" UNION ALL ", spellings.Select((_, i) => Gram(i)));
        void Add(string name, object value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        for (var i = 0; i < spellings.Count; i++)
            for (var j = 0; j < spellings[i].Count; j++) Add($"@g{i}_{j}", spellings[i][j]);
        Add("@k", kind);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var id = r.GetInt32(0);
            hits[id] = hits.GetValueOrDefault(id) + 1;
        }
    }

    /// <summary>PostgreSQL's search objects (its Foundation migration): the bigram table, kept in step by triggers, filled once.</summary>
    public static string CreatePostgresSql() => $$"""
        CREATE TABLE "NameGrams" ("Gram" text NOT NULL, "Kind" integer NOT NULL, "EntityId" integer NOT NULL, PRIMARY KEY ("Gram", "Kind", "EntityId"));
        CREATE INDEX "IX_NameGrams_Entity" ON "NameGrams" ("Kind", "EntityId");
        CREATE FUNCTION crm_name_grams(kind integer, id integer, VARIADIC names text[]) RETURNS void LANGUAGE sql AS $f$
          INSERT INTO "NameGrams" ("Gram", "Kind", "EntityId")
          SELECT DISTINCT substr(n, i, 2), kind, id FROM unnest(names) AS n, generate_series(1, 40) AS i
          WHERE n IS NOT NULL AND length(substr(n, i, 2)) = 2
          ON CONFLICT DO NOTHING;
        $f$;
        CREATE FUNCTION crm_accounts_grams() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
          IF TG_OP <> 'INSERT' THEN DELETE FROM "NameGrams" WHERE "Kind" = {{AccountKind}} AND "EntityId" = OLD."Id"; END IF;
          IF TG_OP <> 'DELETE' THEN PERFORM crm_name_grams({{AccountKind}}, NEW."Id", NEW."Name", NEW."ShortName"); END IF;
          RETURN NULL;
        END $f$;
        CREATE FUNCTION crm_contacts_grams() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
          IF TG_OP <> 'INSERT' THEN DELETE FROM "NameGrams" WHERE "Kind" = {{ContactKind}} AND "EntityId" = OLD."Id"; END IF;
          IF TG_OP <> 'DELETE' THEN PERFORM crm_name_grams({{ContactKind}}, NEW."Id", NEW."Name"); END IF;
          RETURN NULL;
        END $f$;
        CREATE TRIGGER accounts_search AFTER INSERT OR DELETE OR UPDATE OF "Name", "ShortName" ON "Accounts" FOR EACH ROW EXECUTE FUNCTION crm_accounts_grams();
        CREATE TRIGGER contacts_search AFTER INSERT OR DELETE OR UPDATE OF "Name" ON "Contacts" FOR EACH ROW EXECUTE FUNCTION crm_contacts_grams();
        SELECT crm_name_grams({{AccountKind}}, "Id", "Name", "ShortName") FROM "Accounts";
        SELECT crm_name_grams({{ContactKind}}, "Id", "Name") FROM "Contacts";
        """;

    /// <summary>For a bulk load (the move from SQLite): the bigram triggers off; <see cref="PostgresBulkGramsSql"/> fills the table once after.</summary>
    public const string PostgresGramTriggersOffSql = """
        ALTER TABLE "Accounts" DISABLE TRIGGER accounts_search; ALTER TABLE "Contacts" DISABLE TRIGGER contacts_search;
        """;

    /// <summary>The bigrams of every name in one set-based statement (the triggers' rule, <c>crm_name_grams</c>), and the triggers back on.</summary>
    public static string PostgresBulkGramsSql => $$"""
        INSERT INTO "NameGrams" ("Gram", "Kind", "EntityId")
        SELECT DISTINCT substr(n, i, 2), {{AccountKind}}, a."Id" FROM "Accounts" a CROSS JOIN LATERAL unnest(ARRAY[a."Name", a."ShortName"]) AS n, generate_series(1, 40) AS i
        WHERE n IS NOT NULL AND length(substr(n, i, 2)) = 2
        ON CONFLICT DO NOTHING;
        INSERT INTO "NameGrams" ("Gram", "Kind", "EntityId")
        SELECT DISTINCT substr(c."Name", i, 2), {{ContactKind}}, c."Id" FROM "Contacts" c, generate_series(1, 40) AS i
        WHERE c."Name" IS NOT NULL AND length(substr(c."Name", i, 2)) = 2
        ON CONFLICT DO NOTHING;
        ALTER TABLE "Accounts" ENABLE TRIGGER accounts_search; ALTER TABLE "Contacts" ENABLE TRIGGER contacts_search;
        """;

    public const string DropPostgresSql = """
        DROP TRIGGER IF EXISTS accounts_search ON "Accounts"; DROP TRIGGER IF EXISTS contacts_search ON "Contacts";
        DROP FUNCTION IF EXISTS crm_accounts_grams(); DROP FUNCTION IF EXISTS crm_contacts_grams(); DROP FUNCTION IF EXISTS crm_name_grams(integer, integer, text[]);
        DROP TABLE IF EXISTS "NameGrams";
        """;

    /// <summary>SQL of the SearchIndex migration: FTS5 trigram tables and bigram rows, kept in step by triggers.</summary>
    public static string CreateSql()
    {
        // Triggers cannot use CTEs, so the bigrams of the first 40 characters are unrolled.
        string Grams(string col) => string.Join(" UNION ", Enumerable.Range(1, 40).Select(i => $"SELECT substr({col}, {i}, 2) AS g"));
        string GramInsert(string table, int kind, params string[] cols) => string.Join("\n", cols.Select(c =>
            $"INSERT OR IGNORE INTO NameGrams (Gram, Kind, EntityId) SELECT g, {kind}, new.Id FROM ({Grams("new." + c)}) WHERE length(g) = 2;"));
        return $"""
            CREATE TABLE NameGrams (Gram TEXT NOT NULL, Kind INTEGER NOT NULL, EntityId INTEGER NOT NULL, PRIMARY KEY (Gram, Kind, EntityId)) WITHOUT ROWID;
            CREATE INDEX IX_NameGrams_Entity ON NameGrams (Kind, EntityId);
            CREATE VIRTUAL TABLE AccountNameFts USING fts5(Name, ShortName, content='Accounts', content_rowid='Id', tokenize='trigram');
            CREATE VIRTUAL TABLE ContactNameFts USING fts5(Name, content='Contacts', content_rowid='Id', tokenize='trigram');
            CREATE TRIGGER Accounts_search_ai AFTER INSERT ON Accounts BEGIN
              INSERT INTO AccountNameFts (rowid, Name, ShortName) VALUES (new.Id, new.Name, new.ShortName);
              {GramInsert("Accounts", AccountKind, "Name", "ShortName")}
            END;
            CREATE TRIGGER Accounts_search_ad AFTER DELETE ON Accounts BEGIN
              INSERT INTO AccountNameFts (AccountNameFts, rowid, Name, ShortName) VALUES ('delete', old.Id, old.Name, old.ShortName);
              DELETE FROM NameGrams WHERE Kind = {AccountKind} AND EntityId = old.Id;
            END;
            CREATE TRIGGER Accounts_search_au AFTER UPDATE OF Name, ShortName ON Accounts BEGIN
              INSERT INTO AccountNameFts (AccountNameFts, rowid, Name, ShortName) VALUES ('delete', old.Id, old.Name, old.ShortName);
              INSERT INTO AccountNameFts (rowid, Name, ShortName) VALUES (new.Id, new.Name, new.ShortName);
              DELETE FROM NameGrams WHERE Kind = {AccountKind} AND EntityId = old.Id;
              {GramInsert("Accounts", AccountKind, "Name", "ShortName")}
            END;
            CREATE TRIGGER Contacts_search_ai AFTER INSERT ON Contacts BEGIN
              INSERT INTO ContactNameFts (rowid, Name) VALUES (new.Id, new.Name);
              {GramInsert("Contacts", ContactKind, "Name")}
            END;
            CREATE TRIGGER Contacts_search_ad AFTER DELETE ON Contacts BEGIN
              INSERT INTO ContactNameFts (ContactNameFts, rowid, Name) VALUES ('delete', old.Id, old.Name);
              DELETE FROM NameGrams WHERE Kind = {ContactKind} AND EntityId = old.Id;
            END;
            CREATE TRIGGER Contacts_search_au AFTER UPDATE OF Name ON Contacts BEGIN
              INSERT INTO ContactNameFts (ContactNameFts, rowid, Name) VALUES ('delete', old.Id, old.Name);
              INSERT INTO ContactNameFts (rowid, Name) VALUES (new.Id, new.Name);
              DELETE FROM NameGrams WHERE Kind = {ContactKind} AND EntityId = old.Id;
              {GramInsert("Contacts", ContactKind, "Name")}
            END;
            INSERT INTO AccountNameFts (AccountNameFts) VALUES ('rebuild');
            INSERT INTO ContactNameFts (ContactNameFts) VALUES ('rebuild');
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
            INSERT OR IGNORE INTO NameGrams (Gram, Kind, EntityId)
              SELECT substr(a.Name, n.i, 2), {AccountKind}, a.Id FROM Accounts a JOIN n ON n.i < length(a.Name)
              UNION ALL SELECT substr(a.ShortName, n.i, 2), {AccountKind}, a.Id FROM Accounts a JOIN n ON n.i < length(a.ShortName)
              UNION ALL SELECT substr(c.Name, n.i, 2), {ContactKind}, c.Id FROM Contacts c JOIN n ON n.i < length(c.Name);
            """;
    }

    public const string DropSql = """
        DROP TRIGGER IF EXISTS Accounts_search_ai; DROP TRIGGER IF EXISTS Accounts_search_ad; DROP TRIGGER IF EXISTS Accounts_search_au;
        DROP TRIGGER IF EXISTS Contacts_search_ai; DROP TRIGGER IF EXISTS Contacts_search_ad; DROP TRIGGER IF EXISTS Contacts_search_au;
        DROP TABLE IF EXISTS AccountNameFts; DROP TABLE IF EXISTS ContactNameFts; DROP TABLE IF EXISTS NameGrams;
        """;
}
