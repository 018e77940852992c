import Foundation
import Switchboard
import Testing

/// The `cache:` section of `switchboard.yaml`.
@Suite struct CacheConfigurationTests {
    func load(_ yaml: String) throws -> SwitchboardConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("switchboard.yaml", yaml)
        return try SwitchboardConfiguration.load(environment: ["SWITCHBOARD_CONFIG": file, "HOME": directory.path])
    }

    @Test func everySettingIsRead() throws {
        let configuration = try load(
            """
            cache:
              ttl: 2h
              max_entries: 500
              max_embeddings: 1000
              scope: [tenant, user, tag.team]
              cache_sensitive: true
              cache_nonzero_temperature: true
              semantic: { provider: openai, model: text-embedding-3-small, dimensions: 256, threshold: 0.9 }
              tasks:
                faq: { ttl: never, semantic: true }
                creative: { enabled: false }
            """)
        let cache = try #require(configuration.cache)
        #expect(cache.enabled)
        #expect(cache.store == .sqlite)
        #expect(cache.timeToLive == .seconds(7200))
        #expect(cache.maxEntries == 500)
        #expect(cache.maxEmbeddings == 1000)
        #expect(cache.scopeKeys == [.tenant, .user, .tag("team")])
        #expect(cache.cachesSensitive)
        #expect(cache.cachesNonzeroTemperature)
        #expect(
            cache.semantic
                == .init(provider: .openAI, model: "text-embedding-3-small", dimensions: 256, threshold: 0.9))
        #expect(cache.tasks["faq"] == .init(timeToLive: nil, expires: false, semantic: true))
        #expect(cache.tasks["creative"]?.enabled == false)
    }

    @Test func defaultsAndSemanticOff() throws {
        let cache = try #require(try load("cache: { semantic: false }\n").cache)
        #expect(cache.semantic == nil)
        #expect(cache.timeToLive == .seconds(86_400))
        #expect(cache.scopeKeys == [.tenant, .apiKey, .feature])
        #expect(try load("default_provider: openai\n").cache == nil)
        let local = try #require(try load("cache: { semantic: { threshold: 0.97 } }\n").cache?.semantic)
        #expect(local.provider == .ollama)
        #expect(local.model == "nomic-embed-text")
    }

    @Test func mistakesNameTheirKey() {
        for (yaml, keyPath) in [
            ("cache: { scope: [colour] }\n", "cache.scope"),
            ("cache: { semantic: { threshold: 1.5 } }\n", "cache.semantic.threshold"),
            ("cache: { store: redis }\n", "cache.store"),
            ("cache: { tasks: { faq: { semantic: maybe } } }\n", "cache.tasks.faq.semantic"),
            ("cache: { colour: blue }\n", "cache.colour"),
        ] {
            #expect(throws: ConfigurationError.self) { try load(yaml) }
            do {
                _ = try load(yaml)
            } catch let error as ConfigurationError {
                #expect(error.keyPath == keyPath, "\(yaml)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
