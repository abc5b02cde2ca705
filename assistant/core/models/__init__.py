"""One narrow model interface (chat, embed) with llama.cpp, transformers and OpenAI backends."""

from assistant.core.models.base import ChatModel, ChatResult, Embedder, Message, ModelError
from assistant.core.models.registry import load_chat_model, load_embedder

__all__ = [
    "ChatModel",
    "ChatResult",
    "Embedder",
    "Message",
    "ModelError",
    "load_chat_model",
    "load_embedder",
]
