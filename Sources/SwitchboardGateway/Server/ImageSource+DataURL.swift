import Switchboard

extension ImageSource {
    /// A `data:<type>;base64,<data>` URL as inline bytes; any other URL as a URL.
    static func fromURL(_ url: String) -> ImageSource {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return .url(url) }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        guard header.hasSuffix(";base64") else { return .url(url) }
        let mediaType = header.dropLast(";base64".count)
        return .base64(data: String(url[url.index(after: comma)...]), mediaType: String(mediaType))
    }

    /// The image as a URL (`data:` for inline bytes).
    var urlString: String {
        switch self {
        case .url(let url): url
        case .base64(let data, let mediaType): "data:\(mediaType);base64,\(data)"
        }
    }
}
