/// Makes untrusted text (a model's answer) safe to put into an HTML page.
public enum HTMLEscaper {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, so it can go into
    /// element content and quoted attribute values. It does not make text safe inside `<script>`,
    /// `<style>`, URLs or unquoted attributes.
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(character)
            }
        }
        return output
    }
}
