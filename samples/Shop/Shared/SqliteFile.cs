using Microsoft.Data.Sqlite;

namespace Shop;

/// <summary>
/// How every shop service opens its SQLite file, which all instances of the service share: the full
/// path, a 30 s busy timeout, and each connection in synchronous = NORMAL (the files run in WAL mode).
/// Linked into each program as source, so a reader of one service sees the whole rule.
/// </summary>
internal static class SqliteFile
{
    /// <summary>The connection string for the file at <paramref name="path"/>.</summary>
    public static string ConnectionString(string path)
        => new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), DefaultTimeout = 30 }.ToString();

    /// <summary>An open connection.</summary>
    public static SqliteConnection Connect(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // With WAL, NORMAL survives a killed process (not a power cut) without a sync per commit.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
