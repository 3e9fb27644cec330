using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace Shop.Orders;

/// <summary>The orders that reached an outcome, in a SQLite file shared by every Orders instance.</summary>
public sealed class OrderBook
{
    private readonly string _connectionString;

    private OrderBook(string connectionString) => _connectionString = connectionString;

    /// <summary>Opens (or creates) the book at <paramref name="path"/>.</summary>
    public static OrderBook Open(string path)
    {
        var book = new OrderBook(SqliteFile.ConnectionString(path));
        using var connection = book.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, status INTEGER NOT NULL, body BLOB NOT NULL);
            """;
        command.ExecuteNonQuery();
        return book;
    }

    /// <summary>Records <paramref name="order"/>'s outcome (the first one recorded stays).</summary>
    public Order Save(Order order)
    {
        using var connection = Connect();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO orders VALUES ($id, $status, $body);";
        insert.Parameters.AddWithValue("$id", order.OrderId);
        insert.Parameters.AddWithValue("$status", (int)order.Status);
        insert.Parameters.AddWithValue("$body", order.ToByteArray());
        insert.ExecuteNonQuery();
        return Find(order.OrderId)!;
    }

    /// <summary>The order <paramref name="orderId"/>, or null when it has no outcome yet.</summary>
    public Order? Find(string orderId)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM orders WHERE order_id = $id;";
        command.Parameters.AddWithValue("$id", orderId);
        return command.ExecuteScalar() is byte[] body ? Order.Parser.ParseFrom(body) : null;
    }

    private SqliteConnection Connect() => SqliteFile.Connect(_connectionString);
}
