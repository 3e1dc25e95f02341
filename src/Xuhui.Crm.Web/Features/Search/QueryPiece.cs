using System.Linq.Expressions;
using System.Reflection;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// Writes a piece of a query once and uses it inside others, compiled statements included: <see cref="Expand{T}"/>
/// replaces each <c>piece.Apply(…)</c> by the piece's body with the arguments in place of its parameters, and each
/// piece of <see cref="FirmSearch"/> passed as a lambda (<c>.Where(IsLive)</c>) by that lambda, so EF sees the same
/// tree, and writes the same SQL, as if the piece had been written out in place.
/// </summary>
internal static class QueryPiece
{
    public static TResult Apply<T1, T2, TResult>(this Expression<Func<T1, T2, TResult>> piece, T1 a, T2 b) =>
        throw new InvalidOperationException("a query piece is applied only inside an expanded query");

    public static TResult Apply<T1, T2, T3, T4, TResult>(this Expression<Func<T1, T2, T3, T4, TResult>> piece, T1 a, T2 b, T3 c, T4 d) =>
        throw new InvalidOperationException("a query piece is applied only inside an expanded query");

    public static Expression<T> Expand<T>(Expression<T> query) => (Expression<T>)new Expander().Visit(query);

    private sealed class Expander : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(QueryPiece) || node.Method.Name != nameof(Apply))
            {
                return base.VisitMethodCall(node);
            }

            var piece = (LambdaExpression)Static(node.Arguments[0]);
            var map = new Dictionary<ParameterExpression, Expression>();
            for (var i = 0; i < piece.Parameters.Count; i++)
            {
                map[piece.Parameters[i]] = Visit(node.Arguments[i + 1]);
            }

            return Visit(new Substitute(map).Visit(piece.Body));
        }

        protected override Expression VisitMember(MemberExpression node) =>
            node is { Expression: null, Member: FieldInfo field } && field.DeclaringType == typeof(FirmSearch) && typeof(LambdaExpression).IsAssignableFrom(node.Type)
                ? Expression.Quote(Visit((LambdaExpression)field.GetValue(null)!))
                : base.VisitMember(node);

        private static object Static(Expression expression) => expression is MemberExpression { Expression: null, Member: FieldInfo field }
            ? field.GetValue(null)!
            : throw new NotSupportedException("a query piece is a static field");
    }

    private sealed class Substitute(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var value) ? value : node;
    }
}
