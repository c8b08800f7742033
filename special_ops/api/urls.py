from rest_framework.routers import SimpleRouter

from special_ops.api.views import PermitViewSet

router = SimpleRouter()
router.register("permits", PermitViewSet, basename="permit")

urlpatterns = router.urls
