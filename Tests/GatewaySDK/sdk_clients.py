"""Drives a running `switchboard serve` with the official Python SDKs.

Usage: sdk_clients.py openai|anthropic|ollama
Environment: GATEWAY_URL (http://127.0.0.1:PORT), GATEWAY_KEY (a valid gateway key).
The Swift test that runs this queues, per SDK and in this order, on the simulator behind the gateway:
a text reply "Hello from the simulator", a text reply "Streamed hello", a get_weather tool call with
{"city": "Paris"} (Anthropic: {"location": "Paris"}), and an HTTP 429 with retry-after 7.
Each case raises AssertionError on a mismatch; the exit status is 0 only when all pass.
"""

import json
import os
import sys

BASE = os.environ["GATEWAY_URL"]
KEY = os.environ["GATEWAY_KEY"]
USER = [{"role": "user", "content": "Say hello"}]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_raises(error_type, call):
    try:
        call()
    except error_type as error:
        return error
    raise AssertionError(f"expected {error_type.__name__}")


def run_openai():
    import openai

    client = openai.OpenAI(base_url=BASE + "/v1", api_key=KEY, max_retries=0)
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=USER)
    check(raw.headers.get("x-switchboard-provider") == "openai", f"provider header: {raw.headers}")
    completion = raw.parse()
    check(completion.choices[0].message.content == "Hello from the simulator", f"plain: {completion}")
    check(completion.usage.total_tokens > 0, f"usage: {completion.usage}")

    text, usage = "", None
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=USER, stream=True, stream_options={"include_usage": True}
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        if chunk.usage:
            usage = chunk.usage
    check(text == "Streamed hello", f"stream text: {text!r}")
    check(usage is not None and usage.completion_tokens > 0, f"stream usage: {usage}")

    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=USER, tools=tools)
    call = completion.choices[0].message.tool_calls[0]
    check(call.function.name == "get_weather", f"tool: {call}")
    check(json.loads(call.function.arguments) == {"city": "Paris"}, f"tool arguments: {call.function.arguments}")
    check(completion.choices[0].finish_reason == "tool_calls", "finish reason")

    error = expect_raises(
        openai.RateLimitError, lambda: client.chat.completions.create(model="gpt-4o-mini", messages=USER)
    )
    check(error.response.headers.get("retry-after") == "7", f"retry-after: {error.response.headers}")

    bad = openai.OpenAI(base_url=BASE + "/v1", api_key="sbk-not-a-key", max_retries=0)
    expect_raises(openai.AuthenticationError, lambda: bad.chat.completions.create(model="gpt-4o-mini", messages=USER))


def run_anthropic():
    import anthropic

    model = "claude-sonnet-4-20250514"
    client = anthropic.Anthropic(base_url=BASE, api_key=KEY, max_retries=0)
    message = client.messages.create(model=model, max_tokens=100, messages=USER)
    check(message.content[0].text == "Hello from the simulator", f"plain: {message}")
    check(message.usage.output_tokens > 0, f"usage: {message.usage}")

    with client.messages.stream(model=model, max_tokens=100, messages=USER) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    check(text == "Streamed hello", f"stream text: {text!r}")
    check(final.stop_reason == "end_turn", f"stream stop: {final.stop_reason}")

    tools = [{"name": "get_weather", "input_schema": {"type": "object"}}]
    message = client.messages.create(model=model, max_tokens=100, messages=USER, tools=tools)
    block = message.content[0]
    check(block.type == "tool_use" and block.name == "get_weather", f"tool: {message.content}")
    check(block.input == {"location": "Paris"}, f"tool input: {block.input}")
    check(message.stop_reason == "tool_use", "stop reason")

    error = expect_raises(
        anthropic.RateLimitError, lambda: client.messages.create(model=model, max_tokens=10, messages=USER)
    )
    check(error.response.headers.get("retry-after") == "7", f"retry-after: {error.response.headers}")

    bad = anthropic.Anthropic(base_url=BASE, api_key="sbk-not-a-key", max_retries=0)
    expect_raises(anthropic.AuthenticationError, lambda: bad.messages.create(model=model, max_tokens=10, messages=USER))


def run_ollama():
    import ollama

    client = ollama.Client(host=BASE, headers={"Authorization": f"Bearer {KEY}"})
    response = client.chat(model="llama3.2", messages=USER)
    check(response.message.content == "Hello from the simulator", f"plain: {response}")
    check(response.done and (response.eval_count or 0) > 0, f"counts: {response}")

    text = "".join(part.message.content or "" for part in client.chat(model="llama3.2", messages=USER, stream=True))
    check(text == "Streamed hello", f"stream text: {text!r}")

    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    response = client.chat(model="llama3.2", messages=USER, tools=tools)
    call = response.message.tool_calls[0]
    check(call.function.name == "get_weather", f"tool: {call}")
    check(dict(call.function.arguments) == {"city": "Paris"}, f"tool arguments: {call.function.arguments}")

    error = expect_raises(ollama.ResponseError, lambda: client.chat(model="llama3.2", messages=USER))
    check(error.status_code == 429, f"rate limit status: {error.status_code}")

    bad = ollama.Client(host=BASE, headers={"Authorization": "Bearer sbk-not-a-key"})
    error = expect_raises(ollama.ResponseError, lambda: bad.chat(model="llama3.2", messages=USER))
    check(error.status_code == 401, f"bad key status: {error.status_code}")


if __name__ == "__main__":
    sdk = sys.argv[1]
    {"openai": run_openai, "anthropic": run_anthropic, "ollama": run_ollama}[sdk]()
    print(f"{sdk}: plain, stream, tool call, rate limit, bad key passed")
