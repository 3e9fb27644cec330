using Microsoft.Data.Sqlite;

namespace Shop.Payment;

/// <summary>
/// Every charge ever asked for, one row per idempotency key, in a SQLite file shared by every
/// instance. Looking the key up and recording the charge happen in one write transaction, so two
/// attempts with one key (even on two instances at once) record one charge.
/// </summary>
public sealed class ChargeLedger
{
    private readonly string _connectionString;

    private ChargeLedger(string connectionString) => _connectionString = connectionString;

    /// <summary>Opens (or creates) the ledger at <paramref name="path"/>.</summary>
    public static ChargeLedger Open(string path)
    {
        var ledger = new ChargeLedger(SqliteFile.ConnectionString(path));
        using var connection = ledger.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS charges (
              idempotency_key TEXT PRIMARY KEY, charge_id TEXT NOT NULL, order_id TEXT NOT NULL,
              amount_cents INTEGER NOT NULL, status INTEGER NOT NULL, reason TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
        return ledger;
    }

    /// <summary>
    /// The charge of <paramref name="request"/>'s key: the recorded one (replayed), or a new one that
    /// <paramref name="decide"/> approves or declines. Null when the key was used for another order or amount.
    /// </summary>
    public ChargeReply? Charge(ChargeRequest request, Func<ChargeRequest, (ChargeStatus Status, string Reason)> decide)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        using (var find = connection.CreateCommand())
        {
            find.Transaction = transaction;
            find.CommandText = "SELECT charge_id, order_id, amount_cents, status, reason FROM charges WHERE idempotency_key = $key;";
            find.Parameters.AddWithValue("$key", request.IdempotencyKey);
            using var reader = find.ExecuteReader();
            if (reader.Read())
            {
                return reader.GetString(1) != request.OrderId || reader.GetInt64(2) != request.AmountCents
                    ? null
                    : new ChargeReply { ChargeId = reader.GetString(0), Status = (ChargeStatus)reader.GetInt32(3), Reason = reader.GetString(4), Replayed = true };
            }
        }
        var (status, reason) = decide(request);
        var reply = new ChargeReply { ChargeId = "ch-" + Guid.NewGuid().ToString("N")[..16], Status = status, Reason = reason };
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO charges VALUES ($key, $id, $order, $amount, $status, $reason);";
            insert.Parameters.AddWithValue("$key", request.IdempotencyKey);
            insert.Parameters.AddWithValue("$id", reply.ChargeId);
            insert.Parameters.AddWithValue("$order", request.OrderId);
            insert.Parameters.AddWithValue("$amount", request.AmountCents);
            insert.Parameters.AddWithValue("$status", (int)status);
            insert.Parameters.AddWithValue("$reason", reason);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        return reply;
    }

    /// <summary>The ledger's totals.</summary>
    public AuditReply Audit()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*),
                   COALESCE(SUM(status = 1), 0),
                   COALESCE(SUM(status = 2), 0),
                   COALESCE(SUM(CASE WHEN status = 1 THEN amount_cents ELSE 0 END), 0),
                   (SELECT COUNT(*) FROM (SELECT order_id FROM charges WHERE status = 1 GROUP BY order_id HAVING COUNT(*) > 1))
            FROM charges;
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new AuditReply
        {
            Charges = reader.GetInt64(0),
            Approved = reader.GetInt64(1),
            Declined = reader.GetInt64(2),
            ApprovedCents = reader.GetInt64(3),
            OrdersChargedTwice = reader.GetInt64(4),
        };
    }

    private SqliteConnection Connect() => SqliteFile.Connect(_connectionString);
}
