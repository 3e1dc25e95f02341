namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// The entity a request body or page form writes: its text is held to that entity's column lengths from the EF model.
/// Read once per type by <see cref="InputRules"/>, so each feature declares its own shapes beside them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WritesToAttribute(Type entity) : Attribute
{
    public Type Entity { get; } = entity;
}

/// <summary>A request member that lands in a column of another name (e.g. <c>District</c> → <c>DistrictCode</c>).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class WritesColumnAttribute(string column) : Attribute
{
    public string Column { get; } = column;
}

/// <summary>
/// A number whose domain is narrower than "finite, 0 to <see cref="InputRules.MaxAmount"/>". The message is a
/// catalogue key (Chinese); {0} and {1} are the bounds.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class NumberRangeAttribute(double min, double max, string message) : Attribute
{
    public double Min { get; } = min;

    public double Max { get; } = max;

    public string Message { get; } = message;
}

/// <summary>
/// An entity outside the domain assembly whose rows people write: the save holds it to the control-character rule
/// and the bounds of unlimited columns, as it does the domain's records.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class UserContentAttribute : Attribute;
