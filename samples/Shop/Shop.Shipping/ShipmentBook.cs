using Microsoft.Data.Sqlite;

namespace Shop.Shipping;

/// <summary>The shipments, one per order, in a SQLite file shared by every instance.</summary>
public sealed class ShipmentBook
{
    private readonly string _connectionString;

    private ShipmentBook(string connectionString) => _connectionString = connectionString;

    /// <summary>Opens (or creates) the book at <paramref name="path"/>.</summary>
    public static ShipmentBook Open(string path)
    {
        var book = new ShipmentBook(SqliteFile.ConnectionString(path));
        using var connection = book.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS shipments (order_id TEXT PRIMARY KEY, tracking_id TEXT NOT NULL UNIQUE, destination TEXT NOT NULL, legs INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
        return book;
    }

    /// <summary>Records <paramref name="shipment"/> unless its order has one; returns the order's shipment.</summary>
    public Shipment Add(Shipment shipment)
    {
        using var connection = Connect();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO shipments VALUES ($order, $tracking, $destination, $legs);";
        insert.Parameters.AddWithValue("$order", shipment.OrderId);
        insert.Parameters.AddWithValue("$tracking", shipment.TrackingId);
        insert.Parameters.AddWithValue("$destination", shipment.Destination);
        insert.Parameters.AddWithValue("$legs", shipment.Legs);
        insert.ExecuteNonQuery();
        return Find("order_id", shipment.OrderId)!;
    }

    /// <summary>The shipment with <paramref name="trackingId"/>, or null.</summary>
    public Shipment? ByTrackingId(string trackingId) => Find("tracking_id", trackingId);

    private Shipment? Find(string column, string value)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT order_id, tracking_id, destination, legs FROM shipments WHERE {column} = $value;";
        command.Parameters.AddWithValue("$value", value);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new Shipment { OrderId = reader.GetString(0), TrackingId = reader.GetString(1), Destination = reader.GetString(2), Legs = reader.GetInt32(3) }
            : null;
    }

    private SqliteConnection Connect() => SqliteFile.Connect(_connectionString);
}
