using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Tests.Data;

/// <summary>The drain's rows are exactly FirmSearchGram.For's, in the key's (Gram, Name, FirmId) ordinal order.</summary>
public sealed class GramBatchTests
{
    [Fact]
    public void Rows_are_the_firms_grams_in_key_order()
    {
        (long Id, string Name, string Text)[] firms =
        [
            (7, "上海徐汇科技有限公司", SearchText.Build(["上海徐汇科技有限公司", "91310104MA1FR0XX1A"])),
            (3, "上海徐汇科技有限公司", SearchText.Build(["上海徐汇科技有限公司"])),
            (12, "Acme 漕河泾 Ltd", SearchText.Build(["Acme 漕河泾 Ltd", "91310104MA1FR0XX2B"])),
            (5, "𠀀字公司", SearchText.Build(["𠀀字公司"])),
            (9, "徐汇", SearchText.Build(["徐汇"])),
        ];
        var batch = new GramBatch();
        for (var round = 0; round < 2; round++)
        {
            // Built twice: the second batch (fewer firms) reuses the buffers of the first.
            var input = round == 0 ? firms : firms[2..];
            batch.Build(input);
            var expected = input.SelectMany(f => FirmSearchGram.For(f.Id, f.Name, f.Text)).Select(g => (g.Gram, g.Name, g.FirmId)).ToList();
            expected.Sort(static (a, b) =>
            {
                var c = string.CompareOrdinal(a.Gram, b.Gram);
                if (c == 0)
                {
                    c = string.CompareOrdinal(a.Name, b.Name);
                }

                return c != 0 ? c : a.FirmId.CompareTo(b.FirmId);
            });

            Assert.True(expected.Count > 20);
            Assert.Equal(expected.Count, batch.Count);
            Assert.Equal(expected, batch.Rows().ToList());
        }
    }
}
