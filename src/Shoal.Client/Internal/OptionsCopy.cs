using System.Reflection;

namespace Shoal.Client.Internal;

/// <summary>
/// Shallow copies of plain options classes (every public read/write property), so a channel can
/// apply a target's query to its own copy without changing the options the user passed in.
/// </summary>
internal static class OptionsCopy
{
    public static T Shallow<T>(T source) where T : class, new()
    {
        var copy = new T();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanRead && property.CanWrite && property.GetIndexParameters().Length == 0)
            {
                property.SetValue(copy, property.GetValue(source));
            }
        }
        return copy;
    }
}
