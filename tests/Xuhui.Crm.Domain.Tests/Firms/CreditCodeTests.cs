using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Domain.Tests.Firms;

public sealed class CreditCodeTests
{
    [Theory]
    [InlineData("91110000600037341L")] // worked example of GB 32100-2015
    [InlineData("91440300708461136T")]
    [InlineData("914403001922038216")]
    [InlineData("91330100799655058B")]
    public void Checking_a_real_code_returns_valid(string code)
    {
        var result = CreditCode.Check(code);

        Assert.True(result.IsValid);
        Assert.Null(result.Error);
        Assert.Equal(code, result.Normalized);
        Assert.Equal(code[17], result.ExpectedCheckCharacter);
        Assert.Equal(string.Empty, result.Message);
    }

    [Fact]
    public void Computing_the_check_character_of_the_worked_example_gives_L()
    {
        Assert.Equal('L', CreditCode.ComputeCheckCharacter("91110000600037341"));
        Assert.Equal("91110000600037341L", CreditCode.WithCheckCharacter("91110000600037341"));
    }

    [Fact]
    public void A_remainder_of_zero_maps_to_check_character_0()
    {
        // 17 zeros: Σ = 0, 31 − 0 = 31, which wraps to 0.
        Assert.Equal("000000000000000000", CreditCode.WithCheckCharacter(new string('0', 17)));
        Assert.True(CreditCode.IsValid("000000000000000000"));
    }

    [Fact]
    public void Building_a_code_with_its_check_character_normalises_the_input_first()
    {
        Assert.Equal("91110000600037341L", CreditCode.WithCheckCharacter(" 9111 0000-600037341 "));
    }

    [Theory]
    [InlineData("9111000060003734")]
    [InlineData("9111000060003734IL")]
    public void Building_a_code_from_bad_input_throws(string first17)
    {
        Assert.Throws<ArgumentException>(() => CreditCode.WithCheckCharacter(first17));
    }

    [Fact]
    public void Codes_built_with_their_check_character_are_valid_for_every_alphabet_character()
    {
        foreach (var c in CreditCode.Alphabet)
        {
            var code = CreditCode.WithCheckCharacter("91310104MA1FR0" + c + c + c);
            Assert.True(CreditCode.IsValid(code), code);
        }
    }

    [Theory]
    [InlineData("91110000600037341A")]
    [InlineData("91110000600037341M")]
    [InlineData("911100006000373410")]
    public void Checking_a_code_with_a_wrong_check_character_says_which_was_expected(string code)
    {
        var result = CreditCode.Check(code);

        Assert.False(result.IsValid);
        Assert.Equal(CreditCodeError.WrongCheckCharacter, result.Error);
        Assert.Equal('L', result.ExpectedCheckCharacter);
        Assert.Equal("校验位应为 L", result.Message);
    }

    [Fact]
    public void Swapping_any_two_adjacent_different_characters_is_detected()
    {
        const string code = "91110000600037341L";
        for (var i = 0; i < 16; i++)
        {
            if (code[i] == code[i + 1])
            {
                continue;
            }

            var chars = code.ToCharArray();
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            var swapped = new string(chars);

            var result = CreditCode.Check(swapped);

            Assert.False(result.IsValid, swapped);
            Assert.Equal(CreditCodeError.WrongCheckCharacter, result.Error);
        }
    }

    [Fact]
    public void Changing_any_single_character_is_detected()
    {
        const string code = "91110000600037341L";
        for (var i = 0; i < 18; i++)
        {
            foreach (var c in CreditCode.Alphabet.Where(c => c != code[i]))
            {
                var changed = string.Concat(code.AsSpan(0, i), c.ToString(), code.AsSpan(i + 1));
                Assert.False(CreditCode.IsValid(changed), changed);
            }
        }
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void Checking_a_code_with_an_excluded_letter_names_its_position_and_character(char letter)
    {
        var code = "9111000060003734" + letter + "L";

        var result = CreditCode.Check(code);

        Assert.False(result.IsValid);
        Assert.Equal(CreditCodeError.InvalidCharacter, result.Error);
        Assert.Equal(17, result.InvalidCharacterPosition);
        Assert.Null(result.ExpectedCheckCharacter);
        Assert.Contains("第 17 位", result.Message, StringComparison.Ordinal);
        Assert.Contains($"「{letter}」", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_excluded_letter_in_the_check_position_is_an_invalid_character_with_the_expected_check_character_known()
    {
        var result = CreditCode.Check("91110000600037341I");

        Assert.Equal(CreditCodeError.InvalidCharacter, result.Error);
        Assert.Equal(18, result.InvalidCharacterPosition);
        Assert.Equal('L', result.ExpectedCheckCharacter);
    }

    [Fact]
    public void Punctuation_in_the_code_is_an_invalid_character()
    {
        var result = CreditCode.Check("9111000060003734.L");

        Assert.Equal(CreditCodeError.InvalidCharacter, result.Error);
        Assert.Contains("「.」", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9111000060003734")]
    [InlineData("91110000600037341")]
    [InlineData("91110000600037341L0")]
    [InlineData("1")]
    public void Checking_a_code_of_the_wrong_length_says_18_were_expected(string code)
    {
        var result = CreditCode.Check(code);

        Assert.False(result.IsValid);
        Assert.Equal(CreditCodeError.WrongLength, result.Error);
        Assert.Equal($"统一社会信用代码应为 18 位，实际为 {code.Length} 位", result.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000\t - ")]
    public void Checking_nothing_returns_empty(string? raw)
    {
        var result = CreditCode.Check(raw);

        Assert.False(result.IsValid);
        Assert.Equal(CreditCodeError.Empty, result.Error);
        Assert.Equal(string.Empty, result.Normalized);
        Assert.Equal("请输入统一社会信用代码", result.Message);
    }

    [Theory]
    [InlineData("91110000600037341l")]
    [InlineData(" 9111 0000 6000 3734 1L ")]
    [InlineData("9111-0000-6000-3734-1L")]
    [InlineData("\t91110000\u00A0600037341L\r\n")]
    [InlineData("９１１１００００６０００３７３４１Ｌ")]
    [InlineData("９１１１００００\u3000６０００３７３４１ｌ")]
    [InlineData("91110000\u200B600037341L")]
    [InlineData("9111－0000－600037341L")]
    public void Checking_pasted_input_normalises_before_validating(string raw)
    {
        var result = CreditCode.Check(raw);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal("91110000600037341L", result.Normalized);
    }

    [Fact]
    public void Normalising_folds_full_width_letters_and_digits_to_ascii_upper_case()
    {
        Assert.Equal("ABC123", CreditCode.Normalize("ＡＢＣ１２３"));
        Assert.Equal("ABC123", CreditCode.Normalize("ａｂｃ １２３"));
    }

    [Fact]
    public void The_pilot_era_code_fails_the_check()
    {
        var result = CreditCode.Check("91350100M0001TGQXM");

        Assert.False(result.IsValid);
        Assert.Equal(CreditCodeError.WrongCheckCharacter, result.Error);
        Assert.Equal('1', result.ExpectedCheckCharacter);
        Assert.Equal("校验位应为 1", result.Message);
    }
}
