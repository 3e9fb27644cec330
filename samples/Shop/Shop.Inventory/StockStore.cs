using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Shop.Inventory;

/// <summary>
/// The stock, in a SQLite file shared by every instance. Each change is one transaction taken
/// with the write lock (BEGIN IMMEDIATE), so instances never oversell and a killed instance leaves
/// either all of a change or none of it.
/// </summary>
public sealed class StockStore
{
    private readonly string _connectionString;

    private StockStore(string connectionString) => _connectionString = connectionString;

    /// <summary>Opens (or creates) the file; a new file gets <paramref name="skus"/> SKUs of <paramref name="initialStock"/> units each.</summary>
    public static StockStore Open(string path, int skus, long initialStock)
    {
        if (skus is < 1 or > 10_000 || initialStock < 0)
        {
            throw new ArgumentException("Inventory:Skus must be 1-10000 and Inventory:InitialStock at least 0.");
        }
        var store = new StockStore(SqliteFile.ConnectionString(path));
        using var connection = store.Connect();
        Execute(connection, null, "PRAGMA journal_mode = WAL;");
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS stock (sku TEXT PRIMARY KEY, available INTEGER NOT NULL, reserved INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS reservations (order_id TEXT PRIMARY KEY, state TEXT NOT NULL, reason TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS reservation_lines (order_id TEXT NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL, PRIMARY KEY (order_id, sku));
            """);
        for (var i = 1; i <= skus; i++)
        {
            // Several instances may start on a new file at once: the first one seeds it.
            Execute(connection, transaction, "INSERT OR IGNORE INTO stock VALUES ($sku, $units, 0);", ("$sku", Sku(i)), ("$units", initialStock));
        }
        transaction.Commit();
        return store;
    }

    /// <summary>The name of the <paramref name="index"/>th SKU of a new file (1-based): <c>sku-001</c>.</summary>
    public static string Sku(int index) => "sku-" + index.ToString("000", CultureInfo.InvariantCulture);

    /// <summary>Reserves every line for <paramref name="orderId"/>, or none; a repeat returns the first answer.</summary>
    public (bool Reserved, string Reason) Reserve(string orderId, IReadOnlyDictionary<string, int> lines)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        using (var seen = Command(connection, transaction, "SELECT state, reason FROM reservations WHERE order_id = $order;", ("$order", orderId)))
        using (var reader = seen.ExecuteReader())
        {
            if (reader.Read())
            {
                return (reader.GetString(0) != "refused", reader.GetString(1));
            }
        }
        foreach (var (sku, quantity) in lines)
        {
            var available = Scalar(connection, transaction, "SELECT available FROM stock WHERE sku = $sku;", ("$sku", sku));
            if (available is null || (long)available < quantity)
            {
                var reason = available is null ? $"unknown SKU {sku}" : $"{sku}: {available} available, {quantity} asked";
                Execute(connection, transaction, "INSERT INTO reservations VALUES ($order, 'refused', $reason);", ("$order", orderId), ("$reason", reason));
                transaction.Commit();
                return (false, reason);
            }
        }
        foreach (var (sku, quantity) in lines)
        {
            Execute(connection, transaction, "UPDATE stock SET available = available - $q, reserved = reserved + $q WHERE sku = $sku;", ("$sku", sku), ("$q", quantity));
            Execute(connection, transaction, "INSERT INTO reservation_lines VALUES ($order, $sku, $q);", ("$order", orderId), ("$sku", sku), ("$q", quantity));
        }
        Execute(connection, transaction, "INSERT INTO reservations VALUES ($order, 'held', '');", ("$order", orderId));
        transaction.Commit();
        return (true, "");
    }

    /// <summary>Gives back what <paramref name="orderId"/> holds; false when it holds nothing.</summary>
    public bool Release(string orderId)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        if (Scalar(connection, transaction, "SELECT state FROM reservations WHERE order_id = $order;", ("$order", orderId)) is not "held")
        {
            return false;
        }
        Execute(connection, transaction, """
            UPDATE stock SET
              available = available + (SELECT quantity FROM reservation_lines l WHERE l.order_id = $order AND l.sku = stock.sku),
              reserved = reserved - (SELECT quantity FROM reservation_lines l WHERE l.order_id = $order AND l.sku = stock.sku)
            WHERE sku IN (SELECT sku FROM reservation_lines WHERE order_id = $order);
            UPDATE reservations SET state = 'released' WHERE order_id = $order;
            """, ("$order", orderId));
        transaction.Commit();
        return true;
    }

    /// <summary>The stock of <paramref name="sku"/>, or null for an unknown SKU.</summary>
    public StockLevel? Get(string sku)
    {
        using var connection = Connect();
        using var command = Command(connection, null, "SELECT available, reserved FROM stock WHERE sku = $sku;", ("$sku", sku));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StockLevel { Sku = sku, Available = reader.GetInt64(0), Reserved = reader.GetInt64(1) } : null;
    }

    private SqliteConnection Connect() => SqliteFile.Connect(_connectionString);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }
}
